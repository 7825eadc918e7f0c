#pragma once
// For the CLI tests: run the built `beowulf` binary as a user would, and see what they see.

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "sys/process.h"

namespace beowulf::cli::testing {

inline const std::string beowulf_binary = BEOWULF_BINARY_DIR "/src/cli/beowulf";

/// Runs `beowulf args...` with `input` on its stdin and pipes on stdout and stderr.
inline sys::ProcessResult run_beowulf(std::vector<std::string> args, std::string input = {}) {
  args.insert(args.begin(), beowulf_binary);
  auto result = sys::run({.argv = args, .input = std::move(input), .timeout = std::chrono::seconds(30)});
  EXPECT_TRUE(result.ok()) << result.error().message();
  return result.ok() ? *result : sys::ProcessResult{};
}

}  // namespace beowulf::cli::testing
