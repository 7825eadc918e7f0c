#include "cli/progress_line.h"

#include <unistd.h>

#include <fmt/core.h>

#include <cstdio>

#include "image/target.h"

namespace beowulf::cli {

std::string progress_text(const image::Progress& p, double seconds) {
  double rate = seconds > 0 ? static_cast<double>(p.done) / seconds : 0;
  std::string line = fmt::format("{:<7}{}", p.phase, image::human_bytes(p.done));
  if (p.total) line += fmt::format(" of {}", image::human_bytes(p.total));
  if (rate > 0) line += fmt::format("  {}/s", image::human_bytes(static_cast<uint64_t>(rate)));
  if (p.total && rate > 0 && p.done < p.total) {
    auto eta = static_cast<uint64_t>(static_cast<double>(p.total - p.done) / rate);
    line += fmt::format("  ETA {}:{:02}", eta / 60, eta % 60);
  }
  return line;
}

ProgressLine::ProgressLine() : enabled_(isatty(STDERR_FILENO) == 1), start_(Clock::now()), last_(start_) {}
ProgressLine::~ProgressLine() { finish(); }

void ProgressLine::update(const image::Progress& p) {
  if (!enabled_) return;
  auto now = Clock::now();
  if (p.phase != phase_) {  // a new phase restarts the rate
    phase_ = std::string(p.phase);
    start_ = now;
  } else if (now - last_ < std::chrono::milliseconds(200) && p.done != p.total) {
    return;
  }
  last_ = now;
  std::string line = progress_text(p, std::chrono::duration<double>(now - start_).count());
  fmt::print(stderr, "\r\x1b[K{}", line);
  std::fflush(stderr);
  drawn_ = true;
}

void ProgressLine::finish() {
  if (drawn_) fmt::print(stderr, "\r\x1b[K");
  drawn_ = false;
}

}  // namespace beowulf::cli
