#include "core/suggest.h"

#include <gtest/gtest.h>

namespace beowulf {
namespace {

const std::vector<std::string> kCommands = {"nodeset", "machinefile", "sim", "add", "doctor"};

TEST(Suggest, FindsASwapAndADroppedLetter) {
  EXPECT_EQ(closest("nodeste", kCommands), "nodeset");
  EXPECT_EQ(closest("doctr", kCommands), "doctor");
  EXPECT_EQ(closest("machinefiel", kCommands), "machinefile");
}

TEST(Suggest, OffersNothingForAFarName) {
  EXPECT_EQ(closest("launch", kCommands), std::nullopt);
  EXPECT_EQ(closest("xyz", kCommands), std::nullopt);
}

TEST(Suggest, DistanceCountsEdits) {
  EXPECT_EQ(edit_distance("sim", "sim"), 0u);
  EXPECT_EQ(edit_distance("ab", "ba"), 1u);
  EXPECT_EQ(edit_distance("", "abc"), 3u);
}

}  // namespace
}  // namespace beowulf
