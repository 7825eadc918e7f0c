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

Probed probed(const Node& n, double clock, const std::string& uid = "1000") {
  Probe p;
  p.clock = clock;
  p.uid = uid;
  p.cores = 1;
  return {n, p};
}

TEST(ClockErrors, NamesTheNodeApartByMoreThanMungesTimeToLive) {
  auto errors = clock_errors({probed(node("linaro-nano", "198.18.0.10", Role::master), 1000.2),
                              probed(node("worker002", "198.18.0.12"), 1412.0)},
                             {1000.0, 1000.4});
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].message(),
            "worker002 (198.18.0.12): clock 412 s ahead of the master's, more than munge's time-to-live (300 s): "
            "munge would refuse its credentials");
  EXPECT_EQ(errors[0].hint,
            "set it from the master's clock: ssh linaro@198.18.0.12 sudo date -s @$(date +%s); then keep the clocks in "
            "step (chrony)");
}

TEST(ClockErrors, CountsTheRoundTripInTheNodesFavour) {
  // 301 s behind the middle of a window 4 s wide: within the time-to-live once the round trip is counted.
  EXPECT_TRUE(clock_errors({probed(node("worker001", "198.18.0.11"), 1000 - 301)}, {998.0, 1002.0}).empty());
  auto behind = clock_errors({probed(node("worker001", "198.18.0.11"), 1000 - 400)}, {999.9, 1000.1});
  ASSERT_EQ(behind.size(), 1u);
  EXPECT_EQ(behind[0].what,
            "clock 400 s behind the master's, more than munge's time-to-live (300 s): munge would refuse its credentials");
}

TEST(UidErrors, NamesTheNodeWhereTheUserHasAnotherUid) {
  auto errors = uid_errors({probed(node("worker001", "198.18.0.11"), 0, "1000"),
                            probed(node("worker002", "198.18.0.12"), 0, "1001"),
                            probed(node("worker003", "198.18.0.13"), 0, "-")},
                           "linaro", "1000");
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(errors[0].message(),
            "worker002 (198.18.0.12): user linaro has UID 1001 here, 1000 on the master: Slurm runs a job under its "
            "submitter's UID on every node");
  EXPECT_EQ(errors[0].hint,
            "give it the master's UID: ssh linaro@198.18.0.12 sudo usermod -u 1000 linaro (and chown its files)");
  EXPECT_EQ(errors[1].message(), "worker003 (198.18.0.13): no user linaro: Slurm runs a job as its submitter on every node");
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
