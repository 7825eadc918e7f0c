#include "sim/node_setup.h"

#include <gtest/gtest.h>

namespace beowulf::sim {
namespace {

TEST(BoardCpus, OneCoreBoardsAreDealtRoundRobinOverTheHostsCpus) {
  std::vector<int> host = {0, 1};
  EXPECT_EQ(board_cpus(0, 1, host), "0");
  EXPECT_EQ(board_cpus(1, 1, host), "1");
  EXPECT_EQ(board_cpus(2, 1, host), "0");
}

TEST(BoardCpus, MultiCoreBoardsTakeConsecutiveCpus) {
  std::vector<int> host = {0, 1, 2, 3};
  EXPECT_EQ(board_cpus(0, 2, host), "0,1");
  EXPECT_EQ(board_cpus(1, 2, host), "2,3");
  EXPECT_EQ(board_cpus(2, 2, host), "0,1");
}

TEST(BoardCpus, UsesOnlyTheCpusWeMayRunOn) {
  std::vector<int> host = {2, 5};
  EXPECT_EQ(board_cpus(0, 2, host), "2,5");
  EXPECT_EQ(board_cpus(1, 1, host), "5");
}

}  // namespace
}  // namespace beowulf::sim
