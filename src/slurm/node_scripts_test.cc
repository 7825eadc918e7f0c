#include "slurm/node_scripts.h"

#include <gtest/gtest.h>

namespace beowulf::slurm {
namespace {

TEST(ParseProbe, ReadsEveryLine) {
  auto p = parse_probe(
      "hardware NodeName=worker001 CPUs=2 RealMemory=3936\n"
      "cores 1\nuid 1000\nsystemd no\nvirtual yes\ncgroup yes\nmissing slurmctld\nno_users\nclock 1700000000.25\n",
      "worker001");
  ASSERT_TRUE(p.ok()) << p.error().message();
  EXPECT_EQ(p->hardware, "NodeName=worker001 CPUs=2 RealMemory=3936");
  EXPECT_EQ(p->cores, 1);
  EXPECT_EQ(p->uid, "1000");
  EXPECT_FALSE(p->systemd);
  EXPECT_TRUE(p->virtual_node);
  EXPECT_TRUE(p->cgroup);
  EXPECT_EQ(p->missing, std::vector<std::string>{"slurmctld"});
  EXPECT_TRUE(p->no_users.empty());
  EXPECT_DOUBLE_EQ(p->clock, 1700000000.25);
}

TEST(ParseProbe, NamesTheMissingLine) {
  auto p = parse_probe("hardware \ncores 1\n", "worker001 (198.18.0.11)");
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.error().message(), "worker001 (198.18.0.11): probe: no 'uid' line in its output");
}

TEST(Packages, TheControllerAlsoGetsSlurmctld) {
  EXPECT_EQ(packages(false), (std::vector<std::string>{"munge", "slurm-client", "slurmd"}));
  EXPECT_EQ(packages(true), (std::vector<std::string>{"munge", "slurm-client", "slurmd", "slurmctld"}));
}

}  // namespace
}  // namespace beowulf::slurm
