#include "sim/neighbour_table.h"

#include <gtest/gtest.h>

namespace beowulf::sim {
namespace {

constexpr NeighbourLimits kDebian{.soft = 512, .hard = 1024};

TEST(NeighbourTable, ASimThatFitsLeavesTheMachinesLimits) {
  EXPECT_EQ(neighbour_limits_for(0, kDebian), kDebian);
  EXPECT_EQ(neighbour_limits_for(17, kDebian), kDebian);  // 289 entries: 16 workers, the master, the bridge
  EXPECT_EQ(neighbour_limits_for(22, kDebian), kDebian);  // 484: just within half of 1024
}

TEST(NeighbourTable, SixtyFiveBoardsRaiseBothLimitsByWhatTheyNeed) {
  // 64 workers, the master and the bridge's namespace: 66 x 66.
  EXPECT_EQ(neighbour_limits_for(66, kDebian), (NeighbourLimits{.soft = 512 + 4356, .hard = 1024 + 4356}));
}

TEST(NeighbourTable, AMachineWithRoomAlreadyIsLeftAlone) {
  NeighbourLimits big{.soft = 8192, .hard = 16384};
  EXPECT_EQ(neighbour_limits_for(66, big), big);
}

}  // namespace
}  // namespace beowulf::sim
