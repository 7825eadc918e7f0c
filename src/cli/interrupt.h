#pragma once
// Ctrl-C during a long command: the first SIGINT (or SIGTERM, or SIGHUP when the terminal
// goes) makes a file descriptor readable (for FanOut's cancel_fd) so the command stops
// its nodes' jobs and reports; the handlers are removed again when the guard goes.

namespace beowulf::cli {

class InterruptGuard {
 public:
  InterruptGuard();
  ~InterruptGuard();
  InterruptGuard(const InterruptGuard&) = delete;
  InterruptGuard& operator=(const InterruptGuard&) = delete;

  /// Readable once SIGINT, SIGTERM or SIGHUP came.
  int fd() const;
  /// True once one of them came.
  bool interrupted() const;
};

}  // namespace beowulf::cli
