#include "cluster/bootstrap_plan.h"

#include <gtest/gtest.h>

namespace beowulf::cluster {
namespace {

NamePattern pattern(std::string_view text) {
  auto p = NamePattern::parse(text);
  EXPECT_TRUE(p.ok()) << text;
  return *p;
}

TEST(NamePattern, FormatsTheNumberWithItsWidth) {
  EXPECT_EQ(pattern("worker%03d").name(7), "worker007");
  EXPECT_EQ(pattern("worker%03d").name(1234), "worker1234");
  EXPECT_EQ(pattern("node%d").name(12), "node12");
  EXPECT_EQ(pattern("rack1-n%02d-pi").name(3), "rack1-n03-pi");
}

TEST(NamePattern, RefusesPatternsThatAreNotOneNumber) {
  auto none = NamePattern::parse("worker");
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().what, "--names 'worker' has no number in it");
  EXPECT_EQ(none.error().hint, "a pattern is a name with one number in it, e.g. --names worker%03d");
  EXPECT_EQ(none.error().kind, ErrorKind::bad_input);
  EXPECT_EQ(NamePattern::parse("w%dx%d").error().what, "--names 'w%dx%d': expected one number written %d or %03d");
  EXPECT_EQ(NamePattern::parse("w%s").error().what, "--names 'w%s': expected one number written %d or %03d");
  EXPECT_FALSE(NamePattern::parse("w%").ok());
}

TEST(NamePattern, RefusesNamesThatAreNotHostnames) {
  auto bad = NamePattern::parse("work_er%03d");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().what, "--names 'work_er%03d' makes 'work_er001', which is not a valid hostname");
  EXPECT_FALSE(NamePattern::parse("-w%d").ok());
  EXPECT_FALSE(NamePattern::parse("worker%%%d").ok());
}

const std::vector<NamedNode> kMembers = {
    {"master", "198.18.0.10"}, {"worker001", "198.18.0.11"}, {"worker003", "198.18.0.13"}};

TEST(BootstrapPlan, GivesNewNodesTheLowestFreeNames) {
  auto plan = plan_bootstrap(kMembers, {"198.18.0.14", "198.18.0.15", "198.18.0.16"}, pattern("worker%03d"));
  ASSERT_TRUE(plan.ok());
  std::vector<NamedNode> want = {
      {"worker002", "198.18.0.14"}, {"worker004", "198.18.0.15"}, {"worker005", "198.18.0.16"}};
  EXPECT_EQ(plan->targets, want);
  EXPECT_EQ(plan->members, kMembers);
}

TEST(BootstrapPlan, KeepsTheNameOfAKnownAddressSoReRunsAreIdempotent) {
  auto plan = plan_bootstrap(kMembers, {"198.18.0.13", "198.18.0.12", "198.18.0.11", "198.18.0.12"},
                             pattern("worker%03d"));
  ASSERT_TRUE(plan.ok());
  std::vector<NamedNode> want = {
      {"worker003", "198.18.0.13"}, {"worker002", "198.18.0.12"}, {"worker001", "198.18.0.11"}};
  EXPECT_EQ(plan->targets, want);
}

TEST(BootstrapPlan, RefusesTheMastersAddress) {
  auto plan = plan_bootstrap(kMembers, {"198.18.0.11", "198.18.0.10"}, pattern("worker%03d"));
  ASSERT_FALSE(plan.ok());
  EXPECT_EQ(plan.error().what, "198.18.0.10 is the master (master): it is in the cluster already");
  EXPECT_EQ(plan.error().kind, ErrorKind::bad_input);
}

}  // namespace
}  // namespace beowulf::cluster
