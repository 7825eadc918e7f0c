#pragma once

namespace beowulf::cli {

/// Parses argv, runs the chosen subcommand and returns the process exit status.
/// The only place (with report.cc) that decides what the user sees on failure.
int run_app(int argc, char** argv);

}  // namespace beowulf::cli
