#pragma once
// TimeUp: the `beowulf time` workflows. `up` gives every chosen member its chrony
// configuration (time_config.h) and a running chronyd, the master first (its workers'
// first polls then find it serving); `read_time` asks every chosen member's chronyd how
// its clock stands. Both run on all nodes at once through FanOut; a node that fails keeps
// its error and the others go on.

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "cluster/time_script.h"
#include "core/inventory.h"
#include "core/result.h"
#include "remote/ssh.h"

namespace beowulf::cluster {

struct TimeOptions {
  std::size_t fanout = 64;
  std::chrono::milliseconds timeout{300000};  ///< per node: apt-get may take minutes
  int cancel_fd = -1;                         ///< readable: stop (Ctrl-C)
};

/// How `time up` fared on one node.
struct TimeUpNode {
  std::string name;
  std::string address;
  TimeUpResult result;         ///< what changed, when it succeeded
  std::optional<Error> error;  ///< "worker002 (198.18.0.12)": "chrony: sudo asked for a password"
};

/// Sets chrony up on `members` (of `inventory`), as root through `sudo -n`: no password
/// goes to any node (`add` gave the members password-less sudo; a node whose sudo asks
/// fails "chrony: sudo asked for a password" with the fix). One entry per member, in order.
std::vector<TimeUpNode> time_up(const Inventory& inventory, const std::vector<Node>& members, const remote::Ssh& ssh,
                                const TimeOptions& options);

/// One member's clock, or why it could not be read.
struct TimeRow {
  std::string name;
  std::string address;
  std::optional<TimeStatus> status;  ///< when the node answered
  std::string problem;               ///< else: "ssh: connection refused"
  bool ok() const { return status && status->ok(); }
};

/// Asks each of `members` how its clock stands (no root needed). One row per member, in order.
std::vector<TimeRow> read_time(const std::vector<Node>& members, const remote::Ssh& ssh, const TimeOptions& options);

}  // namespace beowulf::cluster
