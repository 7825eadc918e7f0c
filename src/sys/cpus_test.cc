#include "sys/cpus.h"

#include <gtest/gtest.h>

#include "sys/process.h"

namespace beowulf::sys {
namespace {

TEST(Cpus, CountsWhatNprocCounts) {
  auto nproc = run({.argv = {"nproc"}});
  ASSERT_TRUE(nproc.ok());
  EXPECT_EQ(std::to_string(allowed_cpus().size()) + "\n", nproc->out);
}

TEST(Cpus, FollowsATasksetLikeNprocDoes) {
  auto pinned = run({.argv = {"taskset", "-c", "0", "nproc"}});
  ASSERT_TRUE(pinned.ok());
  EXPECT_EQ(pinned->out, "1\n");
}

}  // namespace
}  // namespace beowulf::sys
