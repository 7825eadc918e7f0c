// Runs beowulf-cpi under mpiexec as a user of the recipe would and checks what it prints.
#include <gtest/gtest.h>
#include <gmock/gmock.h>

#include <algorithm>
#include <string>

#include "example_run.h"

namespace beowulf {
namespace {

sys::ProcessResult run_cpi(int ranks, const std::vector<std::string>& args = {}) {
  return run_example(ranks, "beowulf-cpi", args, std::chrono::seconds(60));
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
  auto out = lines(r.out);  // rank 1's line may come after the result: find the result
  auto pi = std::find_if(out.begin(), out.end(),
                         [](const std::string& line) { return line.rfind("pi is approximately ", 0) == 0; });
  ASSERT_NE(pi, out.end()) << r.out;
  EXPECT_LT(number_after(*pi, "Error is "), 1e-10);
}

}  // namespace
}  // namespace beowulf
