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

}  // namespace beowulf::cli
