#pragma once
// remove: takes nodes out of the cluster: from the inventory, from the hosts, known_hosts
// and authorized_keys blocks of the remaining nodes, from the master's ssh config and
// the machine files. No password goes to any node: the remaining nodes' /etc/hosts
// change through `sudo -n` (add gave the members password-less sudo). With `revoke`, it first removes the cluster's blocks (its keys and
// host keys) from the removed nodes themselves, so the cluster can no longer log in there.

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "remote/fan_out.h"

namespace beowulf::cluster {

struct RemoveOptions {
  std::vector<std::string> nodes;  ///< names or addresses of members
  bool revoke = false;
  std::size_t fanout = 64;
  std::chrono::seconds timeout{60};
  int cancel_fd = -1;
  const remote::Transport* transport = nullptr;  ///< a test's fake (remote/fake_transport.h); nullptr: ssh
};

struct RemovedNode {
  std::string name, address;
  std::optional<Error> error;  ///< revoke failed (the node is removed all the same)
};

struct RemoveReport {
  std::vector<RemovedNode> removed;
  std::vector<Error> failures;  ///< remaining members that could not be updated
};

/// Checks `nodes` against the inventory without changing anything: each is a member's
/// name or address, and none is the master. Returns the members' names, in order.
Result<std::vector<std::string>> check_remove(const std::vector<std::string>& nodes);

/// Removes the nodes (see above). Fails as a whole when check_remove does, or when the
/// master's own files cannot be updated.
Result<RemoveReport> remove_nodes(const RemoveOptions& options);

}  // namespace beowulf::cluster
