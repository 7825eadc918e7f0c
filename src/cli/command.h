#pragma once
// The table of subcommands: one file per subcommand in src/cli/, each providing a
// Command. app.cc builds the CLI from the table; nothing else knows the list.

#include <CLI/CLI.hpp>

#include <functional>
#include <string_view>
#include <vector>

namespace beowulf::cli {

/// What a subcommand does once its options are parsed; returns the exit status.
using Run = std::function<int()>;

struct Command {
  std::string_view name;
  std::string_view summary;
  /// Adds the subcommand's options and example to `sub`; returns what to run when chosen.
  Run (*attach)(CLI::App& sub);
};

/// Every subcommand, in the order `beowulf --help` lists them.
const std::vector<Command>& commands();

}  // namespace beowulf::cli
