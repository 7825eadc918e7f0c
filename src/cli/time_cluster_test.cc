// `beowulf time` on a virtual cluster whose boards joined as a user joins them: chrony
// set up by `time up` (chronyd -x: the boards share this machine's clock), each worker
// selecting the master as its source, `time status` showing every node, and a second
// `time up` changing nothing.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "cli/joined_cluster.h"

namespace beowulf::cli {
namespace {

using ::testing::ContainsRegex;
using ::testing::HasSubstr;
using ::testing::MatchesRegex;
using ::testing::Not;
using Clock = std::chrono::steady_clock;

class TimeOnCluster : public JoinedCluster<TimeOnCluster> {
 public:
  static sim::UpOptions options() { return {.workers = 2}; }
  static std::string suffix() { return "t"; }
};

/// Runs `probe` until it returns true or `limit` passes; its last answer.
bool eventually(const std::function<bool()>& probe, std::chrono::seconds limit) {
  auto deadline = Clock::now() + limit;
  while (!probe()) {
    if (Clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
  }
  return true;
}

// One sim per test process (ctest runs each test alone): the checks share one.
TEST_F(TimeOnCluster, WorkersFollowTheMasterAndASecondRunChangesNothing) {
  const std::string master = sim().address("master");
  {
    SCOPED_TRACE("TimeUpSetsChronyUpEverywhere");
    auto up = beowulf({"time", "up"});  // no password: add gave the members password-less sudo
    ASSERT_EQ(up.exit_code, 0) << up.out << up.err;
    EXPECT_THAT(up.out, MatchesRegex("NODE +ADDRESS +RESULT\n"
                                     "linaro-nano +[0-9.]+ +wrote /etc/chrony/chrony.conf, started chronyd -x\n"
                                     "worker001 +[0-9.]+ +wrote /etc/chrony/chrony.conf, started chronyd -x\n"
                                     "worker002 +[0-9.]+ +wrote /etc/chrony/chrony.conf, started chronyd -x\n"
                                     "virtual cluster: chronyd runs with -x .*\n.*\n"
                                     "time up: the workers follow linaro-nano \\([0-9.]+\\); .*\n"));
    auto conf = shell("node1", "cat /etc/chrony/chrony.conf");
    EXPECT_THAT(conf.out, HasSubstr("server " + master + " iburst\n"));
  }
  {
    SCOPED_TRACE("EachWorkerSelectsTheMaster");
    for (const char* worker : {"node1", "node2"}) {
      std::string sources;
      bool selected = eventually(
          [&] {
            sources = shell(worker, "chronyc -n sources").out;
            return sources.find("^* " + master + " ") != std::string::npos;
          },
          std::chrono::seconds(30));
      EXPECT_TRUE(selected) << worker << ":\n" << sources;
    }
  }
  {
    SCOPED_TRACE("TimeStatusShowsEveryNode");
    sys::ProcessResult status;
    bool ok = eventually(
        [&] {
          status = beowulf({"time", "status"});
          return status.exit_code == 0;
        },
        std::chrono::seconds(30));
    EXPECT_TRUE(ok) << status.out << status.err;
    EXPECT_THAT(status.out, MatchesRegex("NODE +STATE +SOURCE +OFFSET\n"
                                         "linaro-nano +serving its own clock +local clock, stratum 10 +-\n"
                                         "worker001 +synchronised +[0-9.]+ +[-+][0-9.]+ (µs|ms)\n"
                                         "worker002 +synchronised +[0-9.]+ +[-+][0-9.]+ (µs|ms)\n"
                                         "virtual cluster: chronyd runs with -x .*\n.*\n"));
  }
  {
    SCOPED_TRACE("ASecondRunChangesNothing");
    auto again = beowulf({"time", "up"});
    ASSERT_EQ(again.exit_code, 0) << again.out << again.err;
    EXPECT_THAT(again.out, Not(HasSubstr("wrote")));
    EXPECT_THAT(again.out, Not(HasSubstr("started")));
    EXPECT_THAT(again.out, ContainsRegex("worker002 +" + sim().address("node2") + " +unchanged\n"));
    EXPECT_THAT(again.out, HasSubstr("time up: nothing to change: chrony already runs as planned on every node\n"));
  }
  {
    SCOPED_TRACE("ABoardWhoseSudoAsksIsNamedWithTheFixAndSentNoPassword");
    // add gives the members password-less sudo; a board added by an older beowulf has none.
    auto older = sim().exec("node1", {"rm", "/etc/sudoers.d/zz_beowulf-nopasswd"});
    ASSERT_TRUE(older.ok() && older->exit_code == 0) << (older ? older->err : older.error().message());
    auto asks = beowulf({"time", "up", "-w", "worker001", "--password-stdin"}, sim().board_password() + "\n");
    EXPECT_EQ(asks.exit_code, 1);
    EXPECT_THAT(asks.err, HasSubstr("time up: --password-stdin is no longer needed and was ignored"));
    EXPECT_THAT(asks.err, HasSubstr("beowulf: error: worker001 (" + sim().address("node1") +
                                    "): chrony: sudo asked for a password\n"
                                    "hint: beowulf sends the boards' password only to the nodes it adds; give linaro "
                                    "password-less sudo there, as root: echo 'linaro ALL=(ALL) NOPASSWD: ALL' > "
                                    "/etc/sudoers.d/zz_beowulf-nopasswd\n"));
  }
}

}  // namespace
}  // namespace beowulf::cli
