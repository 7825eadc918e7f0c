#pragma once
// The one password `add` needs, read from where the user chose: the terminal without
// echo, a file only its owner can read, or standard input. The password is only ever
// returned: never written, logged, put in an argv or in the environment. Reading one
// makes the process not dumpable (PR_SET_DUMPABLE 0): no core file, no ptrace by the
// same user, for the rest of its life.

#include <string>
#include <string_view>

#include "core/result.h"

namespace beowulf::sys {

/// Prints `prompt` on the controlling terminal, reads a line with echo off (restored
/// afterwards, also on Ctrl-C), and returns it without its newline. Fails when there is
/// no terminal, with a hint naming --password-file and --password-stdin.
Result<std::string> read_password_from_terminal(std::string_view prompt);

/// The first line of `path`. Refused (bad input, with the mode in the message) when
/// group or others may read or write the file, or when it is missing or empty.
Result<std::string> read_password_file(const std::string& path);

/// The first line of file descriptor `fd` (standard input for --password-stdin).
/// Fails when it is empty.
Result<std::string> read_password_from_fd(int fd);

/// Overwrites every byte `secret` may hold (its whole capacity: a moved-from short
/// string keeps its bytes there) with explicit_bzero, which the compiler may not drop,
/// then empties it. Call it on each copy of a password once it has been used.
void wipe(std::string& secret);

/// Wipes `secret` when it goes out of scope: on every way out of a function that holds a
/// password until its last step (add's Slurm follow-up), early returns included.
class WipeWhenDone {
 public:
  explicit WipeWhenDone(std::string& secret) : secret_(secret) {}
  WipeWhenDone(const WipeWhenDone&) = delete;
  WipeWhenDone& operator=(const WipeWhenDone&) = delete;
  ~WipeWhenDone() { wipe(secret_); }

 private:
  std::string& secret_;
};

}  // namespace beowulf::sys
