#pragma once
// Ctrl-C during a long command: the first SIGINT makes a file descriptor readable (for
// FanOut's cancel_fd) so the command stops its nodes' jobs and reports; the handler is
// removed again when the guard goes.

namespace beowulf::cli {

class InterruptGuard {
 public:
  InterruptGuard();
  ~InterruptGuard();
  InterruptGuard(const InterruptGuard&) = delete;
  InterruptGuard& operator=(const InterruptGuard&) = delete;

  /// Readable once SIGINT came.
  int fd() const;
  /// True once SIGINT came.
  bool interrupted() const;
};

}  // namespace beowulf::cli
