// Each fault does what it says, as seen from the master, and heal undoes it.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "sim/testing.h"

namespace beowulf::sim {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

class SimFaults : public SimTest<SimFaults> {
 public:
  static UpOptions options() { return {.workers = 2}; }
  static std::string suffix() { return "f"; }

 protected:
  void SetUp() override {
    SimTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    // Known hosts and a key from the master to node1, so ssh needs no password here.
    auto key = run("master", {"sh", "-c",
                              "test -f ~/.ssh/id_ed25519 || ssh-keygen -q -t ed25519 -N '' -f ~/.ssh/id_ed25519; "
                              "cat ~/.ssh/id_ed25519.pub"},
                   "linaro");
    ASSERT_EQ(key.exit_code, 0) << key.err;
    for (const char* node : {"node1", "node2"})
      ASSERT_EQ(run(node, {"sh", "-c", "mkdir -p -m 700 ~/.ssh && cat > ~/.ssh/authorized_keys"}, "linaro", key.out)
                    .exit_code,
                0);
  }

  void TearDown() override {
    if (sim_) {
      EXPECT_TRUE(sim().heal("node1").ok());
      EXPECT_TRUE(sim().heal("node2").ok());
    }
  }

  /// `ssh linaro@NODE true` from the master with the test's key; trusts a new host key once.
  sys::ProcessResult ssh(const std::string& node, const std::string& command = "true",
                         const std::string& known_hosts = "/tmp/known_hosts") {
    return run("master",
               {"ssh", "-o", "BatchMode=yes", "-o", "ConnectTimeout=2", "-o", "UserKnownHostsFile=" + known_hosts,
                "-o", "StrictHostKeyChecking=accept-new", "linaro@" + sim().address(node), command},
               "linaro");
  }

  std::string fingerprint(const std::string& node) {
    return run(node, {"ssh-keygen", "-lf", "/etc/ssh/ssh_host_ed25519_key.pub"}).out;
  }
};

TEST_F(SimFaults, SshdDownRefusesConnectionsUntilHealed) {
  ASSERT_EQ(ssh("node1").exit_code, 0);
  ASSERT_TRUE(sim().fault("node1", "sshd-down").ok());
  auto refused = ssh("node1");
  EXPECT_EQ(refused.exit_code, 255);
  EXPECT_THAT(refused.err, HasSubstr("Connection refused"));
  EXPECT_FALSE(sim().status()[1].sshd_up);
  ASSERT_EQ(sim().state().faults.at("node1")[0].kind, "sshd-down");
  ASSERT_TRUE(sim().heal("node1").ok());
  EXPECT_EQ(ssh("node1").exit_code, 0);
  EXPECT_TRUE(sim().status()[1].sshd_up);
  EXPECT_EQ(sim().state().faults.count("node1"), 0u);
}

TEST_F(SimFaults, LinkDownCutsTheNodeOff) {
  ASSERT_TRUE(sim().fault("node1", "link-down").ok());
  auto cut = ssh("node1");
  EXPECT_EQ(cut.exit_code, 255);
  EXPECT_THAT(run("node1", {"ip", "-o", "link", "show", "eth0"}).out, Not(HasSubstr("state UP")));
  EXPECT_EQ(ssh("node2").exit_code, 0);  // the others are untouched
  ASSERT_TRUE(sim().heal("node1").ok());
  EXPECT_EQ(ssh("node1").exit_code, 0);
}

TEST_F(SimFaults, PortBlockDropsThatPortOnTheClusterInterfaceOnly) {
  ASSERT_TRUE(sim().fault("node1", "port-block", "22").ok());
  auto blocked = ssh("node1");
  EXPECT_EQ(blocked.exit_code, 255);
  EXPECT_THAT(blocked.err, HasSubstr("Connection timed out"));
  // The node's own loopback still works: local programs are not broken.
  auto local = run("node1", {"ssh", "-o", "BatchMode=yes", "-o", "ConnectTimeout=2", "-o",
                             "StrictHostKeyChecking=accept-new", "-o", "UserKnownHostsFile=/tmp/kh", "linaro@127.0.0.1", "true"},
                   "linaro");
  EXPECT_THAT(local.err, Not(HasSubstr("timed out")));
  ASSERT_TRUE(sim().heal("node1").ok());
  EXPECT_EQ(ssh("node1").exit_code, 0);
}

TEST_F(SimFaults, SlowLinkLimitsTheBandwidthWithTbf) {
  ASSERT_TRUE(sim().fault("node2", "slow-link", "256kbit").ok());
  EXPECT_THAT(run("node2", {"tc", "qdisc", "show", "dev", "eth0"}).out, HasSubstr("qdisc tbf"));
  EXPECT_THAT(run("node2", {"tc", "qdisc", "show", "dev", "eth0"}).out, HasSubstr("rate 256Kbit"));
  EXPECT_EQ(ssh("node2").exit_code, 0);  // slow, not broken
  ASSERT_TRUE(sim().heal("node2").ok());
  EXPECT_THAT(run("node2", {"tc", "qdisc", "show", "dev", "eth0"}).out, Not(HasSubstr("tbf")));
}

TEST_F(SimFaults, CloneHostKeysMakesTheMasterSeeAChangedKeyUntilHealed) {
  std::string own = fingerprint("node2");
  ASSERT_EQ(ssh("node2", "true", "/tmp/kh-clone").exit_code, 0);  // trusted on first use
  ASSERT_TRUE(sim().fault("node2", "clone-host-keys", "node1").ok());
  EXPECT_EQ(fingerprint("node2"), fingerprint("node1"));
  auto changed = ssh("node2", "true", "/tmp/kh-clone");
  EXPECT_EQ(changed.exit_code, 255);
  EXPECT_THAT(changed.err, HasSubstr("REMOTE HOST IDENTIFICATION HAS CHANGED"));
  ASSERT_TRUE(sim().heal("node2").ok());
  EXPECT_EQ(fingerprint("node2"), own);
  EXPECT_EQ(ssh("node2", "true", "/tmp/kh-clone").exit_code, 0);
}

TEST_F(SimFaults, RefusesAnUnknownFaultOrABadArgumentBeforeChangingAnything) {
  auto typo = sim().fault("node1", "sshd-dwn");
  ASSERT_FALSE(typo.ok());
  EXPECT_EQ(typo.error().what, "sim fault node1 sshd-dwn: no such fault");
  EXPECT_EQ(typo.error().hint, "did you mean 'sshd-down'?");
  EXPECT_EQ(sim().fault("node1", "port-block", "70000").error().what,
            "sim fault node1 port-block 70000: give a TCP port, 1 to 65535");
  EXPECT_EQ(sim().fault("node1", "clone-host-keys", "node9").error().what,
            "sim fault node1 clone-host-keys node9: no node 'node9'");
  EXPECT_EQ(sim().state().faults.count("node1"), 0u);
}

}  // namespace
}  // namespace beowulf::sim
