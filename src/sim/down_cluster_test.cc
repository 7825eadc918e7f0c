// `sim down` removes everything `sim up` made, checked against the system, not assumed.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <signal.h>
#include <unistd.h>

#include <filesystem>

#include "sys/atomic_file.h"
#include "sim/proc.h"
#include "sim/testing.h"
#include "sys/process.h"

namespace beowulf::sim {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

std::string text_of(const std::vector<std::string>& argv) {
  auto r = sys::run({.argv = argv});
  return r.ok() ? r->out : "";
}

class SimDown : public ::testing::Test {
 protected:
  void SetUp() override {
    if (geteuid() != 0) GTEST_SKIP() << "cluster tests need root: a sim is made of network namespaces and mounts";
    options_ = unique_options({.workers = 2}, "d");
    (void)Sim::down(Sim::default_state_dir(options_.name));
  }
  void TearDown() override { (void)Sim::down(Sim::default_state_dir(options_.name)); }

  /// Asserts that nothing of sim `state` is left on this machine.
  void expect_nothing_left(const SimState& state, const std::string& host_links_before) {
    std::string prefix = "bwsim-" + options_.name;
    EXPECT_THAT(text_of({"ip", "netns", "list"}), Not(HasSubstr(prefix)));
    auto mounts = sys::read_file("/proc/mounts");
    ASSERT_TRUE(mounts.ok());
    EXPECT_THAT(*mounts, Not(HasSubstr(prefix)));
    EXPECT_THAT(*mounts, Not(HasSubstr(Sim::default_state_dir(options_.name))));
    EXPECT_EQ(text_of({"ip", "-o", "link"}), host_links_before);
    for (const auto& [label, roles] : state.processes)
      for (const auto& [role, record] : roles) EXPECT_FALSE(still_running(record)) << label << " " << role;
    EXPECT_FALSE(std::filesystem::exists(Sim::default_state_dir(options_.name)));
  }

  UpOptions options_;
};

TEST_F(SimDown, LeavesNoNamespaceLinkProcessOrMountBehind) {
  std::string links = text_of({"ip", "-o", "link"});
  auto made = Sim::up(options_);
  ASSERT_TRUE(made.ok()) << made.error().message();
  SimState state = made->state();
  ASSERT_EQ(state.netns.size(), 4u);  // the bridge's and three nodes'
  ASSERT_EQ(state.processes.size(), 3u);
  EXPECT_EQ(text_of({"ip", "-o", "link"}), links);  // nothing in the host's namespace, even while up
  ASSERT_TRUE(made->down().ok());
  expect_nothing_left(state, links);
}

TEST_F(SimDown, CleansUpAfterTheSimsProcessesWereKilled) {
  std::string links = text_of({"ip", "-o", "link"});
  auto made = Sim::up(options_);
  ASSERT_TRUE(made.ok()) << made.error().message();
  SimState state = made->state();
  for (const auto& [label, roles] : state.processes) ::kill(roles.at("holder").pid, SIGKILL);
  ASSERT_TRUE(Sim::down(made->state_dir()).ok());
  expect_nothing_left(state, links);
}

TEST_F(SimDown, CleansUpWhatAHalfWrittenJournalRecords) {
  // What a crash right after `ip netns add` leaves: a journal and bare namespaces.
  std::string dir = Sim::default_state_dir(options_.name);
  std::filesystem::create_directories(dir);
  ASSERT_TRUE(sys::write_file_atomically(dir + "/state", std::string(kStateHeader) + "\nsim " + options_.name +
                                             " 198.18.0.0/24 parallella\nnetns bwsim-" + options_.name +
                                             "\nnetns bwsim-" + options_.name + "-mas")
                  .ok());
  ASSERT_EQ(text_of({"ip", "netns", "add", "bwsim-" + options_.name}), "");
  ASSERT_TRUE(Sim::down(dir).ok());
  EXPECT_THAT(text_of({"ip", "netns", "list"}), Not(HasSubstr("bwsim-" + options_.name)));
  EXPECT_FALSE(std::filesystem::exists(dir));
}

TEST_F(SimDown, UpOverLeftoversSaysSoAndSuggestsDown) {
  auto made = Sim::up(options_);
  ASSERT_TRUE(made.ok()) << made.error().message();
  auto again = Sim::up(options_);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().what, "sim up: a sim named '" + options_.name + "' is already up, or was left half-made (" +
                                    made->state_dir() + "/state)");
  EXPECT_EQ(again.error().hint, "run 'beowulf sim down --name " + options_.name + "' first");
  EXPECT_TRUE(made->status()[0].sshd_up);  // the sim up is untouched
}

TEST_F(SimDown, TwoSimsRunSideBySide) {
  auto first = Sim::up(options_);
  ASSERT_TRUE(first.ok()) << first.error().message();
  UpOptions other = options_;
  other.name += "x";
  other.subnet = "198.19.7.0/24";
  (void)Sim::down(Sim::default_state_dir(other.name));
  auto second = Sim::up(other);
  ASSERT_TRUE(second.ok()) << second.error().message();
  EXPECT_EQ(second->address("master"), "198.19.7.10");
  auto r = second->exec("node1", {"ip", "-o", "-4", "addr", "show", "eth0"});
  ASSERT_TRUE(r.ok());
  EXPECT_THAT(r->out, HasSubstr("198.19.7.11/24"));
  ASSERT_TRUE(second->down().ok());
  EXPECT_TRUE(first->status()[1].sshd_up);  // taking one down leaves the other up
}

TEST_F(SimDown, RefusesASubnetOutsideTheBenchmarkRange) {
  UpOptions outside = options_;
  outside.subnet = "192.168.7.0/24";
  auto refused = Sim::up(outside);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().what, "--subnet 192.168.7.0/24: outside 198.18.0.0/15, the only range the virtual cluster may use");
  EXPECT_FALSE(std::filesystem::exists(Sim::default_state_dir(options_.name)));
}

}  // namespace
}  // namespace beowulf::sim
