// `beowulf demo` as scripts/demo runs it: its own virtual cluster, the commands a user
// types, cpi on every node, and nothing left behind.

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "sim/sim.h"
#include "sim/testing.h"
#include "sys/process.h"

namespace beowulf::cli {
namespace {

using ::testing::HasSubstr;
using ::testing::MatchesRegex;

TEST(Demo, WalksThroughTheRecipeOnFreshBoards) {
  if (geteuid() != 0) GTEST_SKIP() << "the demo's cluster test needs root: a sim is made of network namespaces";
  auto names = sim::unique_options({}, "d");
  auto r = sys::run({.argv = {std::string(BEOWULF_BINARY_DIR) + "/src/cli/beowulf", "demo", "--workers", "2", "--name",
                              names.name, "--subnet", names.subnet},
                     .timeout = std::chrono::minutes(3)});
  ASSERT_TRUE(r.ok()) << r.error().message();
  EXPECT_FALSE(r->timed_out);
  EXPECT_EQ(r->exit_code, 0) << r->out << r->err;
  std::string prefix = names.subnet.substr(0, names.subnet.rfind(".0/"));
  EXPECT_THAT(r->out, HasSubstr("$ beowulf sim up --workers 2\n"));
  EXPECT_THAT(r->out, HasSubstr("\n$ beowulf init\n"));
  EXPECT_THAT(r->out, HasSubstr("\n$ beowulf add " + prefix + ".[11-12] --user linaro\nPassword for linaro@" + prefix +
                                ".[11-12]:\n"));
  EXPECT_THAT(r->out, HasSubstr("\n$ beowulf exec -b hostname\n"));
  EXPECT_THAT(r->out, HasSubstr("---------------\nworker001 (1)\n---------------\nworker001\n"));
  EXPECT_THAT(r->out, HasSubstr("\n$ beowulf run beowulf-cpi\n"));
  EXPECT_THAT(r->out, MatchesRegex("(.|\n)*Process 0 of [0-9]+ is on linaro-nano\n(.|\n)*"));
  EXPECT_THAT(r->out, MatchesRegex("(.|\n)*Process [0-9]+ of [0-9]+ is on worker002\n(.|\n)*"));
  EXPECT_THAT(r->out, MatchesRegex("(.|\n)*pi is approximately 3\\.14159265[0-9]+, Error is 0\\.0000000008[0-9]+\n(.|\n)*"));
  EXPECT_THAT(r->out, MatchesRegex("(.|\n)*\nfrom fresh boards to cpi on the cluster in [0-9.]+ s\n(.|\n)*"));
  EXPECT_THAT(r->out, HasSubstr("\n$ beowulf sim down\n"));
  EXPECT_FALSE(std::filesystem::exists(sim::Sim::default_state_dir(names.name)));
}

}  // namespace
}  // namespace beowulf::cli
