#include "sys/clock.h"

#include <gtest/gtest.h>

namespace beowulf::sys {
namespace {

using namespace std::chrono_literals;

TEST(Clock, SteadyClockDoesNotGoBackwards) {
  auto a = steady_clock().now();
  auto b = steady_clock().now();
  EXPECT_LE(a, b);
}

TEST(Clock, FakeClockMovesOnlyWhenTold) {
  FakeClock clock;
  auto start = clock.now();
  EXPECT_EQ(clock.now(), start);
  clock.advance(1500ms);
  EXPECT_EQ(clock.now() - start, 1500ms);
}

}  // namespace
}  // namespace beowulf::sys
