#pragma once
// Interrupt: Ctrl-C (SIGINT) and SIGTERM turned into a readable descriptor, which FanOut
// takes as its cancel_fd: the work stops cleanly (every child's process group killed)
// instead of the process dying with ssh children left behind.

namespace beowulf::sys {

class Interrupt {
 public:
  /// Installs the handlers for SIGINT and SIGTERM. One Interrupt at a time.
  Interrupt();
  /// Restores the handlers that were there before.
  ~Interrupt();
  Interrupt(const Interrupt&) = delete;
  Interrupt& operator=(const Interrupt&) = delete;

  /// Readable once a signal came (for FanOutOptions::cancel_fd and poll()).
  int fd() const;
  /// True once SIGINT or SIGTERM came.
  bool happened() const;
};

}  // namespace beowulf::sys
