#include "sim/node_setup.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <string>

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

TEST(NsenterArgv, ItsOwnOptionsGoToNsenterWhenTasksetComesFirst) {
  // This process can always read its own affinity, so taskset is put in front.
  auto argv = nsenter_argv(::getpid(), {"setpriv", "--", "pwd"}, {"--wdns=/home/linaro"});
  ASSERT_EQ(argv.front(), "taskset");
  EXPECT_THAT(argv, ::testing::ElementsAre("taskset", "-c", ::testing::_, "nsenter", "-t", std::to_string(::getpid()),
                                           "-n", "-u", "-m", "--wdns=/home/linaro", "--", "setpriv", "--", "pwd"));
}

}  // namespace
}  // namespace beowulf::sim
