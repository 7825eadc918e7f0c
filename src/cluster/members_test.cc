#include "cluster/members.h"

#include <gtest/gtest.h>

#include "cluster/test_members.h"

namespace beowulf::cluster {
namespace {

Inventory four_nodes() {
  Inventory inventory;
  put_member(inventory, "linaro-nano", "198.18.0.10", Role::master);
  put_member(inventory, "worker001", "198.18.0.11", Role::worker);
  put_member(inventory, "worker002", "198.18.0.12", Role::worker);
  put_member(inventory, "worker003", "198.18.0.13", Role::worker);
  return inventory;
}

std::vector<std::string> names(const std::vector<Node>& nodes) {
  std::vector<std::string> out;
  for (const auto& n : nodes) out.push_back(n.name);
  return out;
}

TEST(Members, EveryMemberWhenNoneIsNamed) {
  auto all = select_members(four_nodes(), "", "");
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(names(*all), (std::vector<std::string>{"linaro-nano", "worker001", "worker002", "worker003"}));
}

TEST(Members, IncludesLessExcludes) {
  auto some = select_members(four_nodes(), "worker[001-003]", "worker002");
  ASSERT_TRUE(some.ok());
  EXPECT_EQ(names(*some), (std::vector<std::string>{"worker001", "worker003"}));
}

TEST(Members, ExcludesFromEveryMember) {
  auto some = select_members(four_nodes(), "", "linaro-nano,worker003");
  ASSERT_TRUE(some.ok());
  EXPECT_EQ(names(*some), (std::vector<std::string>{"worker001", "worker002"}));
}

TEST(Members, NamesANodeByItsAddress) {
  auto some = select_members(four_nodes(), "198.18.0.[12-13]", "");
  ASSERT_TRUE(some.ok());
  EXPECT_EQ(names(*some), (std::vector<std::string>{"worker002", "worker003"}));
}

TEST(Members, RefusesAStrangerWithTheLikelyName) {
  auto r = select_members(four_nodes(), "worker00l", "");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::bad_input);
  EXPECT_EQ(r.error().message(), "-w: worker00l is not a member of the cluster");
  EXPECT_EQ(r.error().hint, "did you mean 'worker001'?");
}

TEST(Members, RefusesAStrangerFarFromAnyNameListingTheMembers) {
  auto r = select_members(four_nodes(), "", "gpu[1-2]");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message(), "-x: gpu1 is not a member of the cluster");
  EXPECT_EQ(r.error().hint, "the members are linaro-nano,worker[001-003]");
}

TEST(Members, RefusesAMalformedSetNamingTheOption) {
  auto r = select_members(four_nodes(), "worker[3-1]", "");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message(), "-w: nodeset: 'worker[3-1]': range goes backwards at column 8");
}

}  // namespace
}  // namespace beowulf::cluster
