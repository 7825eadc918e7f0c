#include "launch/run_plan.h"

#include <gtest/gtest.h>

namespace beowulf::launch {
namespace {

Inventory cluster() {
  Inventory inventory;
  auto put = [&](const char* name, const char* address, int slots, Role role) {
    Node n{name, parse_ipv4(address).value(), "linaro", slots, role};
    EXPECT_TRUE(inventory.put(n).ok());
  };
  put("worker001", "198.18.0.11", 2, Role::worker);  // added before the master on purpose
  put("linaro-nano", "198.18.0.10", 1, Role::master);
  put("worker002", "198.18.0.12", 2, Role::worker);
  return inventory;
}

std::vector<std::string> names(const std::vector<Node>& nodes) {
  std::vector<std::string> out;
  for (const auto& n : nodes) out.push_back(n.name);
  return out;
}

TEST(RunPlan, DefaultsToEverySlot) {
  EXPECT_EQ(rank_count(cluster(), 0).value(), 5);
  EXPECT_EQ(rank_count(cluster(), 3).value(), 3);
  auto bad = rank_count(cluster(), -1);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().message(), "-n: -1 is not a number of processes");
}

TEST(RunPlan, RanksFillTheMasterFirst) {
  EXPECT_EQ(names(nodes_for_ranks(cluster(), 1)), (std::vector<std::string>{"linaro-nano"}));
  EXPECT_EQ(names(nodes_for_ranks(cluster(), 2)), (std::vector<std::string>{"linaro-nano", "worker001"}));
  EXPECT_EQ(names(nodes_for_ranks(cluster(), 3)), (std::vector<std::string>{"linaro-nano", "worker001"}));
  EXPECT_EQ(names(nodes_for_ranks(cluster(), 4)), (std::vector<std::string>{"linaro-nano", "worker001", "worker002"}));
  EXPECT_EQ(nodes_for_ranks(cluster(), 50).size(), 3u);
}

const std::vector<sys::InterfaceAddress> kLocal = {{"lo", "127.0.0.1", 8, true}, {"eth0", "198.18.0.10", 24, false}};

TEST(RunPlan, FindsTheInterfaceOfTheMastersAddress) {
  EXPECT_EQ(interface_of(kLocal, parse_ipv4("198.18.0.10").value()), "eth0");
  EXPECT_EQ(interface_of(kLocal, parse_ipv4("198.18.0.99").value()), "");
}

TEST(RunPlan, TheSubnetComesFromTheInventoryOrTheMastersInterface) {
  Inventory inventory = cluster();
  EXPECT_EQ(cluster_subnet(inventory, kLocal).str(), "198.18.0.0/24");
  EXPECT_EQ(cluster_subnet(inventory, {{"eth0", "198.18.0.10", 16, false}}).str(), "198.18.0.0/16");
  ASSERT_TRUE(inventory.set_subnet(parse_subnet("198.18.0.0/23").value()).ok());
  EXPECT_EQ(cluster_subnet(inventory, kLocal).str(), "198.18.0.0/23");
}

}  // namespace
}  // namespace beowulf::launch
