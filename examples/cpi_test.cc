// Runs beowulf-cpi under mpiexec as a user of the recipe would and checks what it prints.
#include <gtest/gtest.h>
#include <gmock/gmock.h>

#include <cstdlib>
#include <regex>
#include <set>
#include <string>

#include "sys/process.h"

namespace beowulf {
namespace {

using ::testing::MatchesRegex;

sys::ProcessResult run_cpi(int ranks, std::vector<std::string> args = {}) {
  std::vector<std::string> argv = {BEOWULF_MPIEXEC, "-n", std::to_string(ranks),
                                   std::string(BEOWULF_BINARY_DIR) + "/examples/beowulf-cpi"};
  argv.insert(argv.end(), args.begin(), args.end());
  auto r = sys::run({.argv = argv, .timeout = std::chrono::seconds(60)});
  EXPECT_TRUE(r.ok()) << r.error().message();
  return r.ok() ? *r : sys::ProcessResult{};
}

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (std::size_t end; (end = text.find('\n', start)) != std::string::npos; start = end + 1)
    out.push_back(text.substr(start, end - start));
  return out;
}

/// The value after `label` in the "pi is approximately X, Error is Y" line.
double number_after(const std::string& line, const std::string& label) {
  return std::strtod(line.c_str() + line.find(label) + label.size(), nullptr);
}

void expect_cpi_output(const sys::ProcessResult& r, int ranks, const std::string& pi_line) {
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto out = lines(r.out);
  ASSERT_EQ(out.size(), static_cast<std::size_t>(ranks) + 2) << r.out;
  std::set<std::string> processes;
  for (int i = 0; i < ranks; ++i) {
    EXPECT_THAT(out[i], MatchesRegex("Process [0-9]+ of " + std::to_string(ranks) + " is on .+"));
    processes.insert(out[i].substr(0, out[i].find(" is on")));
  }
  EXPECT_EQ(processes.size(), static_cast<std::size_t>(ranks)) << "each rank reports once";
  EXPECT_EQ(out[ranks], pi_line);
  EXPECT_LT(number_after(out[ranks], "Error is "), 1e-9);
  EXPECT_THAT(out[ranks + 1], MatchesRegex("wall clock time = [0-9]+\\.[0-9]{6}"));
}

TEST(Cpi, OneProcessPrintsTheRecipeLines) {
  expect_cpi_output(run_cpi(1), 1, "pi is approximately 3.1415926544231341, Error is 0.0000000008333410");
}

TEST(Cpi, TwoProcessesPrintTheRecipesExactResult) {
  // The recipe's own output for `mpiexec -n 2 cpi`.
  expect_cpi_output(run_cpi(2), 2, "pi is approximately 3.1415926544231318, Error is 0.0000000008333387");
}

TEST(Cpi, MoreIntervalsGiveASmallerError) {
  auto r = run_cpi(2, {"-n", "100000"});
  ASSERT_EQ(r.exit_code, 0);
  auto out = lines(r.out);
  ASSERT_GE(out.size(), 3u);
  EXPECT_LT(number_after(out[2], "Error is "), 1e-10);
}

}  // namespace
}  // namespace beowulf
