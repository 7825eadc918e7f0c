#pragma once
// Progress of a farm call: a callback the user may give, and a progress line on stderr.
// The line is shown when stderr is a terminal, or when BEOWULF_PROGRESS=1 (under
// mpiexec the master's stderr is a pipe to the launcher, so it cannot tell);
// BEOWULF_PROGRESS=0 hides it.

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>

namespace beowulf {

struct Progress {
  std::size_t done = 0;   ///< tasks finished, those found in the journal included
  std::size_t total = 0;  ///< tasks in this call
  double rate = 0;        ///< tasks finished per second in this run (journal hits excluded)
};

/// Rate-limited reporting of one call's progress (every 100 ms and once at the end).
class ProgressReporter {
 public:
  using Clock = std::chrono::steady_clock;

  ProgressReporter(std::function<void(const Progress&)> callback, bool line_allowed)
      : callback_(std::move(callback)), line_(line_allowed && line_wanted()) {}

  void start(std::size_t total, std::size_t already_done) {
    total_ = total;
    base_ = already_done;
    start_ = Clock::now();
    next_ = start_;
  }

  /// The call grew to `total` tasks (tasks added while it runs).
  void grow(std::size_t total) { total_ = std::max(total_, total); }

  /// Reports `done` when 100 ms passed since the last report, or when `final`.
  void update(std::size_t done, bool final = false) {
    if (!callback_ && !line_) return;
    auto now = Clock::now();
    if (!final && now < next_) return;
    next_ = now + std::chrono::milliseconds(100);
    double seconds = std::chrono::duration<double>(now - start_).count();
    Progress p{done, total_, seconds > 0 ? static_cast<double>(done - base_) / seconds : 0.0};
    if (callback_) callback_(p);
    if (line_) {
      int percent = total_ ? static_cast<int>(100.0 * static_cast<double>(done) / static_cast<double>(total_)) : 100;
      std::fprintf(stderr, "\rtaskfarm: %zu/%zu tasks (%d%%), %.0f tasks/s\033[K%s", done, total_,
                   percent, p.rate, final ? "\n" : "");
      std::fflush(stderr);
    }
  }

 private:
  static bool line_wanted() {
    const char* forced = std::getenv("BEOWULF_PROGRESS");
    if (forced && *forced) return std::strcmp(forced, "0") != 0;
    return ::isatty(STDERR_FILENO) == 1;
  }

  std::function<void(const Progress&)> callback_;
  bool line_;
  std::size_t total_ = 0, base_ = 0;
  Clock::time_point start_, next_;
};

}  // namespace beowulf
