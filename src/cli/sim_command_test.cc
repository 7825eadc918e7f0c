// `beowulf sim` without root: what it refuses before it touches anything.

#include <gtest/gtest.h>

#include "cli/run_beowulf.h"

namespace beowulf::cli {
namespace {

using testing::run_beowulf;

TEST(SimCommand, UpSaysThatTheWorkersCountIsDashDashWorkersNotDashW) {
  auto r = run_beowulf({"sim", "up", "-w", "3"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err,
            "beowulf: error: sim up: -w is a node set in the commands that act on members; the number of workers is "
            "--workers\nhint: beowulf sim up --workers 3\n");
}

}  // namespace
}  // namespace beowulf::cli
