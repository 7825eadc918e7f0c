#pragma once
// For the examples' tests: run an example under mpiexec as a user would, and check the
// lines cpi (and cpi_farm) print.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <set>
#include <string>
#include <vector>

#include "sys/process.h"

namespace beowulf {

/// `mpiexec -n RANKS examples/PROGRAM ARGS...`, with a timeout so that a hang fails.
inline sys::ProcessResult run_example(int ranks, const std::string& program, const std::vector<std::string>& args = {},
                                      std::chrono::seconds timeout = std::chrono::seconds(120)) {
  std::vector<std::string> argv = {BEOWULF_MPIEXEC, "-n", std::to_string(ranks),
                                   std::string(BEOWULF_BINARY_DIR) + "/examples/" + program};
  argv.insert(argv.end(), args.begin(), args.end());
  auto r = sys::run({.argv = argv, .timeout = timeout});
  EXPECT_TRUE(r.ok()) << r.error().message();
  return r.ok() ? *r : sys::ProcessResult{};
}

inline std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (std::size_t end; (end = text.find('\n', start)) != std::string::npos; start = end + 1)
    out.push_back(text.substr(start, end - start));
  return out;
}

/// The value after `label` in the "pi is approximately X, Error is Y" line.
inline double number_after(const std::string& line, const std::string& label) {
  return std::strtod(line.c_str() + line.find(label) + label.size(), nullptr);
}

/// Each rank's "Process k of N" line, then rank 0's pi and time lines. The ranks' lines
/// reach mpiexec through different pipes, so, as the recipe says, they "can be out of
/// order", even after rank 0's result: only rank 0's own lines keep their order.
inline void expect_cpi_output(const sys::ProcessResult& r, int ranks, const std::string& pi_line) {
  using ::testing::MatchesRegex;
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto out = lines(r.out);
  ASSERT_EQ(out.size(), static_cast<std::size_t>(ranks) + 2) << r.out;
  std::set<std::string> processes;
  std::vector<std::string> results;
  for (const auto& line : out) {
    if (line.rfind("Process ", 0) != 0) {
      results.push_back(line);
      continue;
    }
    EXPECT_THAT(line, MatchesRegex("Process [0-9]+ of " + std::to_string(ranks) + " is on .+"));
    processes.insert(line.substr(0, line.find(" is on")));
  }
  EXPECT_EQ(processes.size(), static_cast<std::size_t>(ranks)) << "each rank reports once";
  ASSERT_EQ(results.size(), 2u) << r.out;
  EXPECT_EQ(results[0], pi_line);
  EXPECT_LT(number_after(results[0], "Error is "), 1e-9);
  EXPECT_THAT(results[1], MatchesRegex("wall clock time = [0-9]+\\.[0-9]{6}"));
}

}  // namespace beowulf
