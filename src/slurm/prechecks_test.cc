#include "slurm/prechecks.h"

#include <gtest/gtest.h>

namespace beowulf::slurm {
namespace {

Node node(const std::string& name, const std::string& address, Role role = Role::worker) {
  Node n;
  n.name = name;
  n.address = parse_ipv4(address).value();
  n.user = "linaro";
  n.role = role;
  return n;
}

/// A node's probe: its clock, and user linaro with `uid` (none when empty) and its home.
Probed probed(const Node& n, double clock, const std::string& uid = "1000") {
  Probe p;
  p.clock = clock;
  p.cores = 1;
  std::string accounts = "group linaro:x:1000:\n";
  if (!uid.empty()) accounts += "passwd linaro:x:" + uid + ":1000::/home/linaro:/bin/bash\nhome linaro\n";
  p.accounts = cluster::parse_node_accounts(accounts).value();
  return {n, p};
}

TEST(ClockErrors, NamesTheNodeApartByMoreThanMungesTimeToLive) {
  auto errors = clock_errors({probed(node("linaro-nano", "198.18.0.10", Role::master), 1000.2),
                              probed(node("worker002", "198.18.0.12"), 1412.0)},
                             {1000.0, 1000.4});
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].message(),
            "worker002 (198.18.0.12): its clock is 411.8 s ahead of the master's (more than 300 s): munge would refuse "
            "its credentials");
  EXPECT_EQ(errors[0].hint, "beowulf time up");
}

TEST(ClockErrors, CountsTheRoundTripInTheNodesFavour) {
  // 301 s behind the middle of a window 4 s wide: within the time-to-live once the round trip is counted.
  EXPECT_TRUE(clock_errors({probed(node("worker001", "198.18.0.11"), 1000 - 301)}, {998.0, 1002.0}).empty());
  auto behind = clock_errors({probed(node("worker001", "198.18.0.11"), 1000 - 400)}, {999.9, 1000.1});
  ASSERT_EQ(behind.size(), 1u);
  EXPECT_EQ(behind[0].what,
            "its clock is 400.0 s behind the master's (more than 300 s): munge would refuse its credentials");
}

TEST(AccountErrors, NamesTheNodeWhereTheUserHasAnotherUidOrIsMissing) {
  auto errors = account_errors({probed(node("linaro-nano", "198.18.0.10", Role::master), 0, "1000"),
                                probed(node("worker002", "198.18.0.12"), 0, "1001"),
                                probed(node("worker003", "198.18.0.13"), 0, "")},
                               {"linaro"}, "linaro-nano");
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(errors[0].message(),
            "worker002 (198.18.0.12): user linaro: UID 1001, the master's is 1000: Slurm runs a job under its "
            "submitter's UID on every node");
  EXPECT_EQ(errors[0].hint, "beowulf users check --fix linaro");
  EXPECT_EQ(errors[1].message(),
            "worker003 (198.18.0.13): user linaro: missing (UID 1000 elsewhere): Slurm runs a job under its "
            "submitter's UID on every node");
}

TEST(VirtualNodeErrors, AsksForCgroupsWhenTheSimHasNone) {
  auto p = probed(node("worker001", "198.18.0.11"), 0);
  p.probe.virtual_node = true;
  auto errors = virtual_node_errors({p});
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].message(),
            "worker001 (198.18.0.11): no cgroup filesystem on /sys/fs/cgroup: slurmd will not start without one");
  EXPECT_EQ(errors[0].hint, "bring the virtual cluster up with one: beowulf sim down; beowulf sim up --cgroups");
  p.probe.cgroup = true;
  EXPECT_TRUE(virtual_node_errors({p}).empty());
  p.probe.missing = {"slurmd"};
  EXPECT_EQ(virtual_node_errors({p}).at(0).hint, "on this machine, as root: apt-get install slurmd");
}

}  // namespace
}  // namespace beowulf::slurm
