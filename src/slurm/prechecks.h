#pragma once
// Prechecks: what munge and Slurm need before `slurm up` changes anything, judged from
// each node's probe (node_scripts.h). Each failure is an Error naming the node, with the fix.
// The clocks and the accounts are judged by the checks of `beowulf time` and `beowulf
// users` (cluster::check_clocks, cluster::check_accounts), on what the one probe read.

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

/// The node whose clock is furthest from this machine's, when it is proven apart by more
/// than kMungeTtl (the probe's round trip counted in its favour): "its clock is 412.0 s
/// ahead of the master's (more than 300 s): munge would refuse its credentials", hint
/// "beowulf time up".
std::vector<Error> clock_errors(const std::vector<Probed>& nodes, ClockWindow window);

/// Each user of `users` missing on a node or with another UID, GID or no home there than
/// on `master` (a node's name): Slurm runs a job under its submitter's UID on every node.
/// "user linaro: UID 1001, the master's is 1000: ...", hint "beowulf users check --fix linaro".
std::vector<Error> account_errors(const std::vector<Probed>& nodes, const std::vector<std::string>& users,
                                  const std::string& master);

/// Virtual nodes that cannot run Slurm as they are: packages missing on this machine
/// (the nodes share its /usr), the munge and slurm users missing from the node's /etc
/// (installed after `sim up`), no /sys/fs/cgroup.
std::vector<Error> virtual_node_errors(const std::vector<Probed>& nodes);

}  // namespace beowulf::slurm
