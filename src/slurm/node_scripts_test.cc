#include "slurm/node_scripts.h"

#include <gtest/gtest.h>

#include <set>

namespace beowulf::slurm {
namespace {

TEST(ParseProbe, ReadsEveryLine) {
  auto p = parse_probe(
      "hardware NodeName=worker001 CPUs=2 RealMemory=3936\n"
      "cores 1\nsystemd no\nvirtual yes\ncgroup yes\nmissing slurmctld\nclock 1700000000.25\n"
      "accounts\npasswd linaro:x:1000:1000:Linaro:/home/linaro:/bin/bash\ngroup linaro:x:1000:\nhome linaro\n"
      "passwd munge:x:106:111::/nonexistent:/usr/sbin/nologin\n",
      "worker001");
  ASSERT_TRUE(p.ok()) << p.error().message();
  EXPECT_EQ(p->hardware, "NodeName=worker001 CPUs=2 RealMemory=3936");
  EXPECT_EQ(p->cores, 1);
  EXPECT_EQ(p->accounts.users.at("linaro").uid, 1000);
  EXPECT_EQ(p->accounts.homes_present, std::set<std::string>{"linaro"});
  EXPECT_FALSE(p->systemd);
  EXPECT_TRUE(p->virtual_node);
  EXPECT_TRUE(p->cgroup);
  EXPECT_EQ(p->missing, std::vector<std::string>{"slurmctld"});
  EXPECT_EQ(p->no_users, std::vector<std::string>{"slurm"}) << "munge is in the node's accounts, slurm is not";
  EXPECT_DOUBLE_EQ(p->clock, 1700000000.25);
}

TEST(ParseProbe, NamesTheMissingLine) {
  auto p = parse_probe("hardware \ncores 1\n", "worker001 (198.18.0.11)");
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.error().message(), "worker001 (198.18.0.11): probe: no 'systemd' line in its output");
}

TEST(ParseProbe, NamesAnAccountLineItDoesNotKnow) {
  auto p = parse_probe("hardware \ncores 1\nsystemd no\nvirtual no\ncgroup yes\nmissing\nclock 1\n"
                       "accounts\npasswd broken\n",
                       "worker001 (198.18.0.11)");
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.error().message(),
            "worker001 (198.18.0.11): probe: the account database answered a line beowulf does not know: 'passwd broken'");
}

TEST(Packages, TheControllerAlsoGetsSlurmctld) {
  EXPECT_EQ(packages(false), (std::vector<std::string>{"munge", "slurm-client", "slurmd"}));
  EXPECT_EQ(packages(true), (std::vector<std::string>{"munge", "slurm-client", "slurmd", "slurmctld"}));
}

}  // namespace
}  // namespace beowulf::slurm
