#include "cli/progress_line.h"

#include <gtest/gtest.h>

namespace beowulf::cli {
namespace {

constexpr std::uint64_t MiB = 1 << 20;

// What `beowulf run` shows on a terminal while it sends a large program or file: bytes
// sent of all (every node's copy counted), the rate, and the time left.
TEST(ProgressText, ShowsDoneOfTotalRateAndTimeLeft) {
  EXPECT_EQ(progress_text({"send", 8 * MiB, 32 * MiB}, 2.0), "send   8.0 MiB of 32.0 MiB  4.0 MiB/s  ETA 0:06");
}

TEST(ProgressText, HasNoRateBeforeAnythingIsDoneAndNoTimeLeftAtTheEnd) {
  EXPECT_EQ(progress_text({"send", 0, 32 * MiB}, 0.0), "send   0 bytes of 32.0 MiB");
  EXPECT_EQ(progress_text({"send", 32 * MiB, 32 * MiB}, 4.0), "send   32.0 MiB of 32.0 MiB  8.0 MiB/s");
}

}  // namespace
}  // namespace beowulf::cli
