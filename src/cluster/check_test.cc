#include "cluster/check.h"

#include <gtest/gtest.h>

namespace beowulf::cluster {
namespace {

Finding f(const std::string& check, const std::string& node, Verdict v) {
  return Finding{.check = check, .subject = node, .verdict = v};
}

TEST(Check, EveryDependencyComesEarlier) {
  std::vector<std::string> seen;
  for (const auto& c : all_checks()) {
    for (const auto& d : c.depends_on) EXPECT_NE(std::find(seen.begin(), seen.end(), d), seen.end()) << c.id << " " << d;
    seen.push_back(c.id);
  }
  EXPECT_EQ(seen.size(), 22u);  // with "users", the five "slurm-" checks, "planned" and "arch"
}

TEST(Check, SkipReasonFollowsDependenciesOnTheSameNode) {
  std::vector<Finding> v = {f("reach", "worker002", Verdict::fail), f("reach", "worker001", Verdict::ok)};
  EXPECT_EQ(skip_reason(v, "ssh-master-to-node", "worker002"), "reach failed");
  EXPECT_EQ(skip_reason(v, "names", "worker002"), "reach failed");
  EXPECT_EQ(skip_reason(v, "names", "worker001"), std::nullopt);
  v.push_back(f("ssh-master-to-node", "worker001", Verdict::fail));
  // The node's own facts come over the warm socket even when a fresh login fails.
  EXPECT_EQ(skip_reason(v, "names", "worker001"), std::nullopt);
}

TEST(Check, VerdictsAndExitStatus) {
  std::vector<Finding> v = {f("reach", "a", Verdict::ok), f("reach", "b", Verdict::warn), f("names", "a", Verdict::skipped)};
  EXPECT_EQ(check_verdict(v, "reach"), Verdict::warn);
  EXPECT_EQ(check_verdict(v, "names"), Verdict::skipped);
  EXPECT_EQ(check_verdict(v, "mpi"), std::nullopt);
  EXPECT_EQ(exit_status(v), 0);
  v.push_back(f("mpi", "a", Verdict::fail));
  EXPECT_EQ(exit_status(v), 1);
  EXPECT_EQ(verdict_mark(Verdict::ok), "✔");
  EXPECT_EQ(verdict_mark(Verdict::fail), "✘");
}

TEST(Fix, ItsLineIsRenderedFromItsKindAndArgument) {
  EXPECT_EQ(Fix::add("198.18.7.12").line(), "beowulf add 198.18.7.12");
  EXPECT_EQ(Fix::add("198.18.7.12").kind, Fix::Kind::add);
  EXPECT_EQ(Fix("beowulf time up").line(), "beowulf time up");
  EXPECT_EQ(Fix("beowulf time up").kind, Fix::Kind::paste);
  EXPECT_NE(Fix("beowulf add 198.18.7.12"), Fix::add("198.18.7.12"));  // a pasted line is never run
  EXPECT_TRUE(Fix().empty());
}

}  // namespace
}  // namespace beowulf::cluster
