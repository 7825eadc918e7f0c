#include "cluster/wait_for_ssh.h"

#include <poll.h>

#include <algorithm>

#include "cluster/host_key_pin.h"
#include "remote/fan_out.h"

namespace beowulf::cluster {
namespace {

/// Waits `interval` unless `cancel_fd` becomes readable first; false when cancelled.
bool wait_or_cancel(std::chrono::milliseconds interval, int cancel_fd) {
  pollfd fd{cancel_fd, POLLIN, 0};
  int ready = poll(&fd, cancel_fd < 0 ? 0 : 1, static_cast<int>(interval.count()));
  return ready <= 0;
}

}  // namespace

std::vector<bool> wait_for_ssh(const std::vector<std::string>& addresses, const WaitOptions& options) {
  using Clock = std::chrono::steady_clock;
  std::vector<bool> up(addresses.size(), false);
  auto start = Clock::now();
  for (;;) {
    std::vector<remote::Job> jobs;
    std::vector<std::size_t> asked;
    for (std::size_t i = 0; i < addresses.size(); ++i)
      if (!up[i]) {
        jobs.push_back({remote::target_at(addresses[i]), keyscan_job(addresses[i])});
        asked.push_back(i);
      }
    auto runs = remote::FanOut({.fanout = 64, .timeout = std::chrono::seconds(15), .cancel_fd = options.cancel_fd})
                    .collect(jobs);
    for (std::size_t j = 0; j < runs.size(); ++j)
      if (!keyscan_keys(runs[j].out).empty()) up[asked[j]] = true;
    auto waited = std::chrono::duration_cast<std::chrono::seconds>(Clock::now() - start);
    std::size_t count = static_cast<std::size_t>(std::count(up.begin(), up.end(), true));
    if (options.progress) options.progress(count, up.size(), waited);
    if (count == up.size() || waited >= options.timeout) return up;
    if (!wait_or_cancel(options.interval, options.cancel_fd)) return up;
  }
}

}  // namespace beowulf::cluster
