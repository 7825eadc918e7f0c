#pragma once
// Waiting for boards to come up: a freshly burned card boots, resizes its filesystem and
// starts sshd, which takes minutes. `add --planned` waits for each planned node's sshd
// to offer a host key (ssh-keyscan: nothing secret is sent) before it makes contact.

#include <chrono>
#include <functional>
#include <string>
#include <vector>

namespace beowulf::cluster {

struct WaitOptions {
  std::chrono::seconds timeout{600};                   ///< per node, from the start of the wait
  std::chrono::milliseconds interval{2000};            ///< between two asks of a node not yet up
  int cancel_fd = -1;                                  ///< readable: stop waiting at once
  /// Called after each round: how many are up of how many, and the seconds waited.
  std::function<void(std::size_t up, std::size_t total, std::chrono::seconds waited)> progress;
};

/// Asks every address not yet up, round after round, until each offered an ssh host key
/// or the timeout passed (or cancel_fd became readable). Returns, per address in order,
/// whether it came up.
std::vector<bool> wait_for_ssh(const std::vector<std::string>& addresses, const WaitOptions& options);

}  // namespace beowulf::cluster
