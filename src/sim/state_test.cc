#include "sim/state.h"
#include "sys/temp_dir.h"

#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

namespace beowulf::sim {
namespace {

const char* kJournal =
    "beowulf-sim 1\n"
    "sim demo 198.18.1.0/24 parallella\n"
    "node master 198.18.1.10\n"
    "node node1 198.18.1.11\n"
    "netns bwsim-demo\n"
    "netns bwsim-demo-master\n"
    "mount /run/beowulf-sim/demo/nodes\n"
    "process master holder 4242 1234567\n"
    "process master sshd 4250 1234600\n"
    "process master sshd 4300 1239999\n"
    "fault node1 port-block 22\n"
    "fault node1 link-down\n"
    "fault master sshd-down\n"
    "heal master\n";

TEST(SimState, ReadsEveryRecord) {
  auto state = parse_state(kJournal, "/run/beowulf-sim/demo/state");
  ASSERT_TRUE(state.ok()) << state.error().message();
  EXPECT_EQ(state->name, "demo");
  EXPECT_EQ(state->subnet, "198.18.1.0/24");
  EXPECT_EQ(state->profile, "parallella");
  ASSERT_EQ(state->nodes.size(), 2u);
  EXPECT_EQ(state->node("node1")->address, "198.18.1.11");
  EXPECT_EQ(state->node("node2"), nullptr);
  EXPECT_EQ(state->netns, (std::vector<std::string>{"bwsim-demo", "bwsim-demo-master"}));
  EXPECT_EQ(state->mounts, (std::vector<std::string>{"/run/beowulf-sim/demo/nodes"}));
  EXPECT_EQ(state->processes.at("master").at("holder").pid, 4242);
  EXPECT_EQ(state->processes.at("master").at("holder").start_time, 1234567u);
  EXPECT_EQ(state->processes.at("master").at("sshd").pid, 4300);  // the last one recorded
  ASSERT_EQ(state->faults.count("node1"), 1u);
  ASSERT_EQ(state->faults.at("node1").size(), 2u);
  EXPECT_EQ(state->faults.at("node1")[0].kind, "port-block");
  EXPECT_EQ(state->faults.at("node1")[0].arg, "22");
  EXPECT_EQ(state->faults.at("node1")[1].arg, "");
  EXPECT_EQ(state->faults.count("master"), 0u);  // healed
}

TEST(SimState, IgnoresARecordCutShortByACrash) {
  auto state = parse_state("beowulf-sim 1\nnetns bwsim-x\nnetns bwsim-x-mas", "state");
  ASSERT_TRUE(state.ok());
  EXPECT_EQ(state->netns, (std::vector<std::string>{"bwsim-x"}));
}

TEST(SimState, RefusesAnotherFileWithItsLine) {
  EXPECT_EQ(parse_state("hello\n", "/tmp/s").error().what,
            "/tmp/s:1: not a beowulf sim state file (expected 'beowulf-sim 1')");
  EXPECT_EQ(parse_state("beowulf-sim 1\nnode a 1\nlink x\n", "/tmp/s").error().what,
            "/tmp/s:3: unknown record 'link': 'link x'");
  EXPECT_EQ(parse_state("beowulf-sim 1\nprocess master holder x 1\n", "/tmp/s").error().what,
            "/tmp/s:2: pid and start time must be numbers: 'process master holder x 1'");
  EXPECT_EQ(parse_state("", "/tmp/s").error().what, "/tmp/s: empty state file");
}

TEST(StateLog, AppendsWholeLinesThatReadBack) {
  sys::TempDir dir("beowulf-state-test");
  std::string path = dir.path() + "/state";
  {
    auto log = StateLog::open(path);
    ASSERT_TRUE(log.ok());
    ASSERT_TRUE(log->append(kStateHeader).ok());
    ASSERT_TRUE(log->append("netns bwsim-a").ok());
  }
  {
    auto log = StateLog::open(path);  // a later command appends to the same journal
    ASSERT_TRUE(log.ok());
    ASSERT_TRUE(log->append("netns bwsim-a-master").ok());
  }
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_EQ(text.str(), "beowulf-sim 1\nnetns bwsim-a\nnetns bwsim-a-master\n");
}

}  // namespace
}  // namespace beowulf::sim
