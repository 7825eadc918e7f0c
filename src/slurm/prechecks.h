#pragma once
// Prechecks: what munge and Slurm need before `slurm up` changes anything, judged from
// each node's probe (node_scripts.h). Each failure is an Error naming the node, with the fix.
// These are slurm's own small checks; `beowulf time` and `beowulf users` check more.

#include <vector>

#include "core/error.h"
#include "core/inventory.h"
#include "slurm/node_scripts.h"

namespace beowulf::slurm {

/// munged's default time-to-live of a credential, in seconds: a credential made on a
/// node whose clock is further apart than this is refused.
inline constexpr double kMungeTtl = 300;

struct Probed {
  Node node;
  Probe probe;
};

/// The clocks this machine read around the probes: before they started and after they ended.
struct ClockWindow {
  double before = 0, after = 0;
};

/// Nodes whose clock is apart from this machine's by more than kMungeTtl, however the
/// probe's round trip is counted: "clock 412 s ahead of the master's, more than munge's
/// time-to-live (300 s)".
std::vector<Error> clock_errors(const std::vector<Probed>& nodes, ClockWindow window);

/// Nodes where `user` is missing or has another UID than `master_uid` (Slurm runs a job
/// under its submitter's UID on every node).
std::vector<Error> uid_errors(const std::vector<Probed>& nodes, const std::string& user, const std::string& master_uid);

/// Virtual nodes that cannot run Slurm as they are: packages missing on this machine
/// (the nodes share its /usr), the munge and slurm users missing from the node's /etc
/// (installed after `sim up`), no /sys/fs/cgroup.
std::vector<Error> virtual_node_errors(const std::vector<Probed>& nodes);

}  // namespace beowulf::slurm
