#include "slurm/slurm_status.h"

#include <gtest/gtest.h>

namespace beowulf::slurm {
namespace {

TEST(ParseNodeStates, ReadsStateAndReason) {
  auto states = parse_node_states("linaro-nano|idle|none\nworker002|down*|Not responding\n");
  ASSERT_EQ(states.size(), 2u);
  EXPECT_EQ(states[0].name, "linaro-nano");
  EXPECT_EQ(states[0].reason, "");
  EXPECT_EQ(states[1].state, "down*");
  EXPECT_EQ(states[1].reason, "Not responding");
}

TEST(ParseQueue, ReadsEveryJob) {
  auto jobs = parse_queue("12|linaro|cpi|RUNNING|0:03|worker[001-002]\n13|linaro|farm|PENDING|0:00|(Resources)\n");
  ASSERT_EQ(jobs.size(), 2u);
  EXPECT_EQ(jobs[1].id, "13");
  EXPECT_EQ(jobs[1].nodes, "(Resources)");
}

TEST(FoldedNames, FoldsLikeANodeSet) {
  EXPECT_EQ(folded_names({"linaro-nano", "worker001", "worker002", "worker003"}), "linaro-nano,worker[001-003]");
}

}  // namespace
}  // namespace beowulf::slurm
