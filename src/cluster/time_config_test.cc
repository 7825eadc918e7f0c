#include "cluster/time_config.h"

#include <gtest/gtest.h>

#include "cluster/test_members.h"

namespace beowulf::cluster {
namespace {

Inventory two_nodes(bool with_subnet) {
  Inventory inventory;
  if (with_subnet) {
    EXPECT_TRUE(inventory.set_subnet(Subnet{parse_ipv4("198.18.0.0").value(), 16}).ok());
  }
  put_member(inventory, "linaro-nano", "198.18.0.10", Role::master);
  put_member(inventory, "worker001", "198.18.0.11", Role::worker);
  return inventory;
}

TEST(ChronyPlan, TheMasterServesTheSubnetAWorkerFollowsTheMaster) {
  Inventory inventory = two_nodes(true);
  ChronyPlan master = chrony_plan(inventory, *inventory.find("linaro-nano"));
  EXPECT_EQ(master.role, Role::master);
  EXPECT_EQ(master.subnet, "198.18.0.0/16");
  ChronyPlan worker = chrony_plan(inventory, *inventory.find("worker001"));
  EXPECT_EQ(worker.role, Role::worker);
  EXPECT_EQ(worker.master_address, "198.18.0.10");
}

TEST(ChronyPlan, WithoutARecordedSubnetTheMasterServesIts24) {
  Inventory inventory = two_nodes(false);
  EXPECT_EQ(chrony_plan(inventory, *inventory.find("linaro-nano")).subnet, "198.18.0.0/24");
}

TEST(ChronyConfig, MasterOnARealBoard) {
  ChronyPlan plan{.role = Role::master, .master_address = "198.18.0.10", .subnet = "198.18.0.0/24"};
  EXPECT_EQ(chrony_config(plan, false),
            "# Written by 'beowulf time up'; it rewrites this file when the cluster changes.\n"
            "# This node is the cluster's time server. It serves its own clock when no upstream\n"
            "# source answers (a closed network); upstream servers, when there are some, go in\n"
            "# /etc/chrony/sources.d/*.sources.\n"
            "sourcedir /etc/chrony/sources.d\n"
            "local stratum 10\n"
            "allow 198.18.0.0/24\n"
            "makestep 1 3\n"
            "driftfile /var/lib/chrony/chrony.drift\n"
            "rtcsync\n");
}

TEST(ChronyConfig, WorkerOnARealBoard) {
  ChronyPlan plan{.role = Role::worker, .master_address = "198.18.0.10", .subnet = "198.18.0.0/24"};
  EXPECT_EQ(chrony_config(plan, false),
            "# Written by 'beowulf time up'; it rewrites this file when the cluster changes.\n"
            "# This node follows the cluster's master.\n"
            "server 198.18.0.10 iburst\n"
            "makestep 1 3\n"
            "driftfile /var/lib/chrony/chrony.drift\n"
            "rtcsync\n");
}

TEST(ChronyConfig, OnTheVirtualClusterItsFilesAreUnderRunAndNoUpstreamIsRead) {
  ChronyPlan master{.role = Role::master, .master_address = "198.18.0.10", .subnet = "198.18.0.0/24"};
  std::string text = chrony_config(master, true);
  EXPECT_EQ(text.find("sourcedir"), std::string::npos);
  EXPECT_EQ(text.find("/var/"), std::string::npos);
  EXPECT_EQ(text.find("rtcsync"), std::string::npos);  // never touch the clock the boards share
  EXPECT_NE(text.find("local stratum 10\nallow 198.18.0.0/24\nmakestep 1 3\n"), std::string::npos);
  EXPECT_NE(text.find("\npidfile /run/chrony/chronyd.pid\ndriftfile /run/chrony/chrony.drift\n"), std::string::npos);
  ChronyPlan worker{.role = Role::worker, .master_address = "198.18.0.10", .subnet = "198.18.0.0/24"};
  EXPECT_NE(chrony_config(worker, true).find("server 198.18.0.10 iburst\n"), std::string::npos);
}

}  // namespace
}  // namespace beowulf::cluster
