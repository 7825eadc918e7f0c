// `beowulf exec` on a virtual cluster whose boards joined as a user joins them.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>

#include "cli/joined_cluster.h"

namespace beowulf::cli {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using Clock = std::chrono::steady_clock;

class Exec : public JoinedCluster<Exec> {
 public:
  static sim::UpOptions options() { return {.workers = 3}; }
  static std::string suffix() { return "x"; }
};

TEST_F(Exec, PrefixesEveryLineWithItsNode) {
  auto r = beowulf({"exec", "--", "echo", "hello from", "$(hostname)"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("linaro-nano: hello from linaro-nano\n"));
  EXPECT_THAT(r.out, HasSubstr("worker001: hello from worker001\n"));
  EXPECT_THAT(r.out, HasSubstr("worker003: hello from worker003\n"));
  EXPECT_EQ(r.err, "");
}

TEST_F(Exec, GathersIdenticalOutputsUnderOneNodeSet) {
  auto r = beowulf({"exec", "-b", "--", "echo same; test $(hostname) = worker002 && echo different || true"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out,
            "---------------\nlinaro-nano,worker[001,003] (3)\n---------------\nsame\n"
            "---------------\nworker002 (1)\n---------------\nsame\ndifferent\n");
}

TEST_F(Exec, ExcludesAndIncludesNodes) {
  auto r = beowulf({"exec", "-w", "worker[001-003]", "-x", "worker002", "--", "hostname"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("worker001: worker001\n"));
  EXPECT_THAT(r.out, HasSubstr("worker003: worker003\n"));
  EXPECT_THAT(r.out, Not(HasSubstr("worker002")));
  EXPECT_THAT(r.out, Not(HasSubstr("linaro-nano")));
}

TEST_F(Exec, ReportsFailuresAtTheEndWithTheWorstStatus) {
  auto r = beowulf({"exec", "-w", "worker[001-002]", "--", "test $(hostname) = worker001 || exit 3"});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_EQ(r.err, "worker002: exited with 3\n");
}

TEST_F(Exec, RefusesAStrangerBeforeRunningAnything) {
  auto r = beowulf({"exec", "-w", "worker009", "--", "touch /tmp/ran"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "beowulf: error: -w: worker009 is not a member of the cluster\nhint: did you mean 'worker001'?\n");
}

TEST_F(Exec, ANodeThatHangsTimesOutWithoutDelayingTheOthers) {
  ASSERT_TRUE(sim().fault("node3", "port-block", "22").ok());
  auto start = Clock::now();
  auto r = beowulf({"exec", "-t", "3", "--", "echo up"});
  auto took = Clock::now() - start;
  ASSERT_TRUE(sim().heal("node3").ok());
  EXPECT_EQ(r.exit_code, 124);
  EXPECT_THAT(r.out, HasSubstr("worker001: up\n"));
  EXPECT_THAT(r.out, HasSubstr("worker002: up\n"));
  EXPECT_THAT(r.out, Not(HasSubstr("worker003")));
  EXPECT_EQ(r.err, "worker003: timed out after 3 s\n");
  EXPECT_LT(took, std::chrono::seconds(10));
}

TEST_F(Exec, ANodeThatIsDownIsNamedAtTheEnd) {
  ASSERT_TRUE(sim().fault("node2", "link-down").ok());
  auto start = Clock::now();
  auto r = beowulf({"exec", "--", "echo up"});
  auto took = Clock::now() - start;
  ASSERT_TRUE(sim().heal("node2").ok());
  EXPECT_EQ(r.exit_code, 255);
  EXPECT_THAT(r.out, HasSubstr("worker001: up\n"));
  EXPECT_THAT(r.out, HasSubstr("worker003: up\n"));
  EXPECT_THAT(r.err, HasSubstr("worker002: ssh: "));
  EXPECT_LT(took, std::chrono::seconds(30));
}

TEST_F(Exec, PrintsOneJsonObjectPerNode) {
  auto r = beowulf({"exec", "--json", "-w", "worker001", "--", "echo hi"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr(R"("node":"worker001")"));
  EXPECT_THAT(r.out, HasSubstr(R"("stdout":"hi\n")"));
  EXPECT_THAT(r.out, HasSubstr(R"("exit_status":0)"));
}

}  // namespace
}  // namespace beowulf::cli
