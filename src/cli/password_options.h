#pragma once
// The password options `add` and `remove` share: asked on the terminal without echo,
// or --password-file FILE (only its owner may read it), or --password-stdin.

#include <CLI/CLI.hpp>

#include <string>

#include "core/result.h"

namespace beowulf::cli {

struct PasswordOptions {
  std::string file;
  bool from_stdin = false;

  /// Adds --password-file and --password-stdin to `sub`.
  void attach(CLI::App& sub);

  /// Whether --password-file or --password-stdin was given.
  bool given() const { return !file.empty() || from_stdin; }

  /// The password, from where the options say; `prompt` is shown on the terminal.
  Result<std::string> read(const std::string& prompt) const;
};

/// The password options of commands that once sent the boards' password to every node's
/// sudo (remove, time up, users): they need none now (`add` gives every member
/// password-less sudo) and ask for none, but scripts that still pass them must not break.
struct UnneededPasswordOptions {
  std::string file;
  bool from_stdin = false;
  std::string file_flag = "--password-file";

  /// Adds `flag_file` (FILE) and, when `flag_stdin` is not empty, that flag to `sub`,
  /// described as accepted and ignored.
  void attach(CLI::App& sub, const std::string& flag_file = "--password-file",
              const std::string& flag_stdin = "--password-stdin");

  /// When one was given: reads standard input's first line and wipes it (a pipe's writer
  /// is not cut off), and says on stderr, as `command`, that the option is ignored.
  void drop(const std::string& command) const;
};

}  // namespace beowulf::cli
