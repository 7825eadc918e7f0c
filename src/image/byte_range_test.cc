#include "image/byte_range.h"

#include <gtest/gtest.h>

namespace beowulf::image {
namespace {

using Ranges = std::vector<ByteRange>;

TEST(ByteRange, MergesOverlappingAndTouchingRanges) {
  EXPECT_EQ(merged({{10, 5}, {0, 10}, {20, 5}, {22, 1}, {30, 0}}), (Ranges{{0, 15}, {20, 5}}));
}

TEST(ByteRange, CutsAHoleOut) {
  EXPECT_EQ(without({{0, 100}}, {10, 20}), (Ranges{{0, 10}, {30, 70}}));
  EXPECT_EQ(without({{0, 10}, {40, 10}}, {5, 40}), (Ranges{{0, 5}, {45, 5}}));
}

TEST(ByteRange, Intersects) {
  EXPECT_EQ(intersection({{0, 10}, {20, 10}}, {{5, 20}}), (Ranges{{5, 5}, {20, 5}}));
  EXPECT_EQ(intersection({{0, 10}}, {{10, 10}}), Ranges{});
}

}  // namespace
}  // namespace beowulf::image
