#pragma once
// SlurmDown: `beowulf slurm down`, what `slurm up` started stopped on every node (slurmd,
// slurmctld, munged), nothing else; with `purge` the munge key, slurm.conf, cgroup.conf
// and the daemons' state removed too. Root steps run through `sudo -n`: no password goes
// to any node. On the virtual cluster the node's holder reaps what stops: no daemon and
// no zombie is left.

#include <cstddef>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/inventory.h"
#include "remote/ssh.h"

namespace beowulf::slurm {

struct DownOptions {
  std::vector<Node> nodes;  ///< the master among them
  bool purge = false;
  remote::Ssh ssh;
  std::size_t fanout = 64;
  int cancel_fd = -1;
};

struct DownReport {
  std::vector<Error> errors;
  std::vector<std::string> changes;  ///< "worker001: stopped slurmd, stopped munge"
};

DownReport slurm_down(const DownOptions& options);

/// True on a node of the virtual cluster (its holder serves /run/beowulf-sim/start).
bool on_virtual_node();

}  // namespace beowulf::slurm
