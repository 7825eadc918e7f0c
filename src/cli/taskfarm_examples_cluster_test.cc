// The task-farm examples under `beowulf run` on a virtual cluster whose boards joined:
// the master-worker pattern across real hosts, as a student runs it after the demo.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>

#include "cli/joined_cluster.h"

namespace beowulf::cli {
namespace {

using ::testing::HasSubstr;
using ::testing::MatchesRegex;

class TaskFarmOnCluster : public JoinedCluster<TaskFarmOnCluster> {
 public:
  static sim::UpOptions options() { return {.workers = 3}; }
  static std::string suffix() { return "t"; }
};

std::string example(const std::string& name) { return std::string(BEOWULF_BINARY_DIR) + "/examples/" + name; }

TEST_F(TaskFarmOnCluster, TheExamplesRunAcrossEveryBoard) {
  {
    SCOPED_TRACE("cpi as a task farm: a rank on every board, the same pi line on any count");
    auto r = beowulf({"run", example("beowulf-cpi-farm")});
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    for (const char* host : {"linaro-nano", "worker001", "worker002", "worker003"})
      EXPECT_THAT(r.out, HasSubstr(std::string(" of 4 is on ") + host + "\n"));
    EXPECT_THAT(r.out, HasSubstr("pi is approximately 3.1415926544231265, Error is 0.0000000008333334\n"));
  }
  {
    SCOPED_TRACE("primes: the exact count");
    auto r = beowulf({"run", example("beowulf-primes"), "1000000"});
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_THAT(r.out, HasSubstr("primes below 1000000: 78498\n"));
  }
  {
    SCOPED_TRACE("mandelbrot: the master writes the picture the workers rendered");
    auto r = beowulf({"run", example("beowulf-mandelbrot"), "-o", "m.png"});
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_THAT(r.out, HasSubstr("wrote m.png: 800x600 pixels"));
    EXPECT_EQ(shell("master", "head -c 8 m.png | od -An -c | tr -s ' '").out, " 211 P N G \\r \\n 032 \\n\n");
  }
}

}  // namespace
}  // namespace beowulf::cli
