#include "core/output_groups.h"

#include <gtest/gtest.h>

namespace beowulf {
namespace {

TEST(OutputGroups, GathersIdenticalOutputsUnderOneFoldedSet) {
  auto groups = group_outputs({{"worker003", "Linux\n"},
                               {"worker001", "Linux\n"},
                               {"worker010", "FreeBSD\n"},
                               {"worker002", "Linux\n"}});
  ASSERT_EQ(groups.size(), 2u);
  EXPECT_EQ(groups[0].nodes.fold(), "worker[001-003]");
  EXPECT_EQ(groups[0].text, "Linux\n");
  EXPECT_EQ(groups[1].nodes.fold(), "worker010");
  EXPECT_EQ(format_groups(groups),
            "---------------\nworker[001-003] (3)\n---------------\nLinux\n"
            "---------------\nworker010 (1)\n---------------\nFreeBSD\n");
}

TEST(OutputGroups, OrdersGroupsByTheirFirstNodeNaturally) {
  auto groups = group_outputs({{"worker10", "b\n"}, {"worker9", "a\n"}, {"linaro-nano", "c\n"}});
  ASSERT_EQ(groups.size(), 3u);
  EXPECT_EQ(groups[0].nodes.fold(), "linaro-nano");
  EXPECT_EQ(groups[1].nodes.fold(), "worker9");
  EXPECT_EQ(groups[2].nodes.fold(), "worker10");
}

TEST(OutputGroups, JoinsTheLinesOfOneNodeBeforeComparing) {
  auto groups = group_outputs({{"a1", "x\n"}, {"a2", "x\n"}, {"a1", "y\n"}, {"a2", "y\n"}, {"a3", "x\n"}});
  ASSERT_EQ(groups.size(), 2u);
  EXPECT_EQ(groups[0].nodes.fold(), "a[1-2]");
  EXPECT_EQ(groups[0].text, "x\ny\n");
  EXPECT_EQ(groups[1].nodes.fold(), "a3");
}

TEST(OutputGroups, NodesThatPrintedNothingShareAnEmptyGroup) {
  auto groups = group_outputs({{"n1", ""}, {"n2", ""}});
  ASSERT_EQ(groups.size(), 1u);
  EXPECT_EQ(format_groups(groups), "---------------\nn[1-2] (2)\n---------------\n");
}

TEST(OutputGroups, EndsATextWithoutNewlineWithOne) {
  EXPECT_EQ(format_groups(group_outputs({{"n1", "partial"}})), "---------------\nn1 (1)\n---------------\npartial\n");
}

}  // namespace
}  // namespace beowulf
