#pragma once
// ProgressLine: one line on stderr, redrawn in place, for long work on a terminal:
// "write  1.2 GiB of 7.4 GiB  310 MiB/s  ETA 0:20". Silent when stderr is not a terminal.

#include <chrono>
#include <string>

#include "image/progress.h"

namespace beowulf::cli {

/// The line's text for `progress` after `seconds` of its phase: "send   8 MiB of 32 MiB
/// 4 MiB/s  ETA 0:06" (rate and ETA once there is a rate).
std::string progress_text(const image::Progress& progress, double seconds);

class ProgressLine {
 public:
  ProgressLine();
  ~ProgressLine();
  /// Redraws the line at most five times a second.
  void update(const image::Progress& progress);
  /// Clears the line, so that the next output starts on a clean line.
  void finish();
  /// A callback for the image library.
  image::ProgressFn callback() { return [this](const image::Progress& p) { update(p); }; }

 private:
  using Clock = std::chrono::steady_clock;
  bool enabled_;
  Clock::time_point start_, last_;
  std::string phase_;
  bool drawn_ = false;
};

}  // namespace beowulf::cli
