// Runs the task-farm examples under mpiexec with 1, 2 and 4 ranks and checks what a
// user sees: cpi's lines, exact prime counts, a PNG of the asked size.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <utility>
#include <vector>

#include "example_run.h"

namespace beowulf {
namespace {

namespace fs = std::filesystem;
using ::testing::MatchesRegex;

class Examples : public ::testing::TestWithParam<int> {};

TEST_P(Examples, CpiFarmPrintsTheLinesOfCpi) {
  int ranks = GetParam();
  auto r = run_example(ranks, "beowulf-cpi-farm", {});
  // The partial sums are added in range order: the same digits for any number of ranks.
  expect_cpi_output(r, ranks, "pi is approximately 3.1415926544231265, Error is 0.0000000008333334");
}

TEST_P(Examples, CpiFarmWithMoreIntervalsHasASmallerError) {
  auto r = run_example(GetParam(), "beowulf-cpi-farm", {"-n", "1000000"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto at = r.out.find("Error is ");
  ASSERT_NE(at, std::string::npos) << r.out;
  EXPECT_LT(std::strtod(r.out.c_str() + at + 9, nullptr), 1e-12);
}

TEST_P(Examples, PrimesCountsExactly) {
  auto r = run_example(GetParam(), "beowulf-primes", {"10000000"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "primes below 10000000: 664579\n");
  r = run_example(GetParam(), "beowulf-primes", {"1000000", "--range", "777"});
  EXPECT_EQ(r.out, "primes below 1000000: 78498\n");
  r = run_example(GetParam(), "beowulf-primes", {"100", "--range", "7"});
  EXPECT_EQ(r.out, "primes below 100: 25\n");
}

TEST_P(Examples, MandelbrotWritesAPngOfTheAskedSize) {
  fs::path png = fs::temp_directory_path() /
                 ("mandelbrot_test." + std::to_string(getpid()) + "." + std::to_string(GetParam()) + ".png");
  auto r = run_example(GetParam(), "beowulf-mandelbrot", {"-o", png.string(), "--width", "320", "--height", "200"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "wrote " + png.string() + ": 320x200 pixels, 13 tiles\n");
  std::ifstream in(png, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  fs::remove(png);
  ASSERT_GT(bytes.size(), 33u);
  EXPECT_EQ(bytes.substr(0, 8), "\x89PNG\r\n\x1a\n");
  EXPECT_EQ(bytes.substr(12, 4), "IHDR");
  auto big_endian = [&](std::size_t at) {
    return (std::uint32_t(std::uint8_t(bytes[at])) << 24) | (std::uint32_t(std::uint8_t(bytes[at + 1])) << 16) |
           (std::uint32_t(std::uint8_t(bytes[at + 2])) << 8) | std::uint32_t(std::uint8_t(bytes[at + 3]));
  };
  EXPECT_EQ(big_endian(16), 320u);
  EXPECT_EQ(big_endian(20), 200u);
  EXPECT_GT(bytes.size(), 2000u) << "a picture, not a blank";
}

/// The best value of the knapsack instance beowulf-knapsack builds, by dynamic
/// programming over the capacity: the answer the branch and bound must find.
std::uint64_t knapsack_by_dp(int count, std::uint64_t seed) {
  std::uint64_t x = seed, total = 0;
  auto next = [&] { return (x = x * 6364136223846793005ull + 1442695040888963407ull) >> 33; };
  std::vector<std::pair<std::uint64_t, std::uint64_t>> items;  // weight, value
  for (int i = 0; i < count; ++i) {
    std::uint64_t w = 1 + next() % 100, v = 1 + next() % 100;
    items.emplace_back(w, v);
    total += w;
  }
  std::vector<std::uint64_t> best(total / 2 + 1, 0);
  for (auto [w, v] : items)
    for (std::size_t c = best.size(); c-- > w;) best[c] = std::max(best[c], best[c - w] + v);
  return best.back();
}

TEST_P(Examples, KnapsackBranchAndBoundFindsTheOptimum) {
  for (auto [items, seed] : {std::pair{40, 1}, std::pair{56, 7}}) {
    // A small budget per task: the search is many tasks, most of them submitted by the callback.
    auto r = run_example(GetParam(), "beowulf-knapsack",
                         {"--items", std::to_string(items), "--seed", std::to_string(seed), "--nodes-per-task", "20"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_THAT(r.out, ::testing::StartsWith("best value " + std::to_string(knapsack_by_dp(items, seed)) + ", weight "));
    EXPECT_THAT(r.out, ::testing::ContainsRegex("\nsearch: [1-9][0-9]+ tasks\n$"));
  }
}

INSTANTIATE_TEST_SUITE_P(Ranks, Examples, ::testing::Values(1, 2, 4));

TEST(ExamplesInput, BadArgumentsAreRefusedWithUsage) {
  auto r = run_example(2, "beowulf-primes", {});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "beowulf-primes: usage: beowulf-primes N [--range R] [--journal FILE] (N and R positive)\n");
  r = run_example(2, "beowulf-mandelbrot", {"--width", "0"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "beowulf-mandelbrot: --width, --height, --iterations and --rows take positive numbers\n");
}

TEST(ExamplesInput, PrimesResumesFromItsJournal) {
  fs::path journal = fs::temp_directory_path() / ("primes_test." + std::to_string(getpid()) + ".journal");
  fs::remove(journal);
  auto first = run_example(4, "beowulf-primes", {"1000000", "--range", "10000", "--journal", journal.string()});
  auto again = run_example(4, "beowulf-primes", {"1000000", "--range", "10000", "--journal", journal.string()});
  auto size = fs::file_size(journal);
  fs::remove(journal);
  EXPECT_EQ(first.out, "primes below 1000000: 78498\n");
  EXPECT_EQ(again.out, first.out);
  EXPECT_EQ(first.err, "beowulf-primes: journal " + journal.string() + ": 0 of 100 ranges already done, 100 sieved now\n");
  EXPECT_EQ(again.err, "beowulf-primes: journal " + journal.string() + ": 100 of 100 ranges already done, 0 sieved now\n");
  EXPECT_GT(size, 100u * 16u) << "a record for each of the 100 ranges";
}

}  // namespace
}  // namespace beowulf
