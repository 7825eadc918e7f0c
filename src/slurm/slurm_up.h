#pragma once
// SlurmUp: `beowulf slurm up`, Slurm set up on the cluster and proved. In order:
// 1. probe every node (slurmd -C, nproc, UID, clock, what is installed);
// 2. install what is missing (apt-get; on the virtual cluster nothing is
//    installed: its nodes use this machine's packages), then probe those nodes again;
// 3. refuse, before anything changes, clocks apart by more than munge's time-to-live,
//    a UID that differs, a virtual node that cannot run Slurm (prechecks.h);
// 4. the master (the controller) first: its munge key (made when it has none), the one
//    slurm.conf and cgroup.conf, munged, slurmctld, slurmd; then every other node at
//    once, the master's key with them. Files are written only when their bytes differ,
//    daemons restarted only where their files changed: a second up changes nothing;
// 5. prove it: every node idle, `srun -N<all> hostname`, a batch job of beowulf-cpi.
// Every root step runs through `sudo -n`: no password goes to any node (`beowulf add`
// gave the members password-less sudo; a node whose sudo asks anyway fails with the fix).

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/inventory.h"
#include "remote/ssh.h"

namespace beowulf::slurm {

struct UpOptions {
  Node master;                    ///< the controller
  std::vector<Node> nodes;        ///< the compute nodes, in inventory order (the master among them or not)
  std::string cluster = "beowulf";
  remote::Ssh ssh;
  std::size_t fanout = 64;
  int cancel_fd = -1;
  std::string cpi;                ///< beowulf-cpi's path, the same on every node; empty: no batch proof
  std::string output_dir;         ///< where the batch proof's output goes
  std::function<void(const std::string&)> progress;  ///< a line per step begun
};

struct UpReport {
  std::vector<Error> errors;               ///< refusals and failures; empty when Slurm is up and proved
  std::vector<std::string> changes;        ///< "worker001: wrote munge.key, restarted munge"
  std::vector<std::string> srun_names;     ///< what srun -N<all> hostname printed, sorted
  std::string pi_line;                     ///< the batch job's pi line
  bool ok() const { return errors.empty(); }
};

UpReport slurm_up(const UpOptions& options);

}  // namespace beowulf::slurm
