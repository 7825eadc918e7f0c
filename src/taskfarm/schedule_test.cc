#include "beowulf/taskfarm/schedule.h"

#include <gtest/gtest.h>

namespace beowulf {
namespace {

TEST(ChunkPolicy, ProbesWithSingleTasksUntilTaskTimesAreKnown) {
  ChunkPolicy p{.workers = 3};
  EXPECT_EQ(p.next_chunk(1000000, -1), 1u);
  EXPECT_EQ(p.next_chunk(0, -1), 0u);
}

TEST(ChunkPolicy, TinyTasksAreBatchedUpToTheCap) {
  ChunkPolicy p{.workers = 1, .in_flight = 3, .max_chunk = 1 << 15};
  EXPECT_EQ(p.next_chunk(1000000, 1e-8), 1u << 15);
  EXPECT_EQ(p.next_chunk(1000000, 0.0), 1u << 15);  // too fast to measure
}

TEST(ChunkPolicy, ChunksShrinkTowardTheEnd) {
  ChunkPolicy p{.workers = 2, .in_flight = 2};
  EXPECT_EQ(p.next_chunk(4000, 1e-9), 1000u);  // a quarter: one share per slot
  EXPECT_EQ(p.next_chunk(400, 1e-9), 100u);
  EXPECT_EQ(p.next_chunk(3, 1e-9), 1u);
}

TEST(ChunkPolicy, SlowTasksGoOneAtATime) {
  ChunkPolicy p{.workers = 2, .target_batch_seconds = 0.002};
  EXPECT_EQ(p.next_chunk(1000, 0.001), 2u);  // 1 ms tasks: two make a 2 ms batch
  EXPECT_EQ(p.next_chunk(1000, 0.5), 1u);    // never zero
}

}  // namespace
}  // namespace beowulf
