#pragma once
// SlurmDoctor: doctor's Slurm checks, run when the master has a slurm.conf written by
// `beowulf slurm up`. One script per node as its user (no root): munged answers there
// (`munge -n | unmunge`), a credential the master's munged made decodes there (the same
// munge key, and clocks within its time-to-live), its slurm.conf has the master's hash,
// `scontrol ping` reaches the controller; then the master's sinfo gives each node's state
// and reason. Most fixes are `beowulf slurm up`: it rewrites what differs and starts what
// is stopped.

#include <chrono>
#include <cstddef>
#include <string>
#include <vector>

#include "core/inventory.h"
#include "remote/ssh.h"

namespace beowulf::slurm {

struct DoctorFinding {
  std::string check;    ///< "slurm-munge", "slurm-munge-key", "slurm-conf", "slurm-controller", "slurm-node"
  std::string subject;  ///< the node's name
  bool ok = true;
  bool skipped = false;  ///< not checked: a check it needs failed on the node
  std::string evidence;
  std::string fix;      ///< empty when ok
};

/// True when this machine (the master) has a slurm.conf that `beowulf slurm up` wrote.
bool slurm_configured();

/// What one node's doctor script printed, judged: its findings of the per-node checks.
/// `master_conf` is the master's slurm.conf hash, `out` the script's output.
std::vector<DoctorFinding> judge_node(const Node& node, const std::string& master_conf, const std::string& out);

/// The slurm-node findings from `sinfo -h -N -o '%N|%t|%E'` for `nodes`.
std::vector<DoctorFinding> judge_states(const std::vector<Node>& nodes, const std::string& sinfo);

/// Runs every Slurm check on `nodes` (the master first) and returns the findings in check order.
std::vector<DoctorFinding> slurm_doctor(const std::vector<Node>& nodes, const remote::Ssh& ssh, std::size_t fanout,
                                        std::chrono::milliseconds timeout, int cancel_fd);

}  // namespace beowulf::slurm
