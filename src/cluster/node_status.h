#pragma once
// NodeStatus: the `beowulf status` workflow. Every chosen member (cluster/members.h)
// runs probe_script() at once through FanOut: over the warm ControlMaster connections,
// or, on the master where beowulf runs, with a local `sh -c`. Each has a short timeout,
// so a dead node costs one timeout at most and never holds the others up.

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cluster/node_health.h"
#include "core/inventory.h"
#include "core/result.h"
#include "remote/ssh.h"

namespace beowulf::cluster {

/// One member's row: its health, or why there is none.
struct NodeStatus {
  std::string name;
  std::string address;
  std::optional<NodeHealth> health;  ///< when it answered
  bool down = false;                 ///< it could not be reached (refused, unreachable, no answer)
  std::string problem;               ///< when no health: "ssh: connection refused"
  bool planned = false;              ///< a planned node, not yet a member: not asked
  std::string arch;                  ///< its userland's Debian architecture as `add` recorded it; empty: unknown
};

struct StatusOptions {
  std::chrono::milliseconds timeout{3000};  ///< per node, connection included
  std::size_t fanout = 64;                  ///< nodes probed at once
  int cancel_fd = -1;                       ///< readable: stop at once (Ctrl-C)
};

/// The Ssh `status` uses: key login in BatchMode through the ControlMaster sockets (their
/// folder made when missing), a connect timeout no longer than `options.timeout`
/// rounded up to seconds. Fails when the sockets' folder cannot be made.
Result<remote::Ssh> status_ssh(const StatusOptions& options);

/// Probes `nodes` at once; one NodeStatus per node, in order. A node whose role is
/// master is probed locally. Stops at once when `options.cancel_fd` becomes readable (the
/// rows of the nodes not done then say "interrupted").
std::vector<NodeStatus> probe_nodes(const std::vector<Node>& nodes, const remote::Ssh& ssh,
                                    const StatusOptions& options);

}  // namespace beowulf::cluster
