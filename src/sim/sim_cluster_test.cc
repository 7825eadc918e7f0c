// The sim as a user meets it: isolated nodes, password ssh between them, exec.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>

#include "sim/testing.h"
#include "sys/process.h"

namespace beowulf::sim {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

class SimBasics : public SimTest<SimBasics> {
 public:
  static UpOptions options() { return {.workers = 3}; }
  static std::string suffix() { return "b"; }

 protected:
  /// ssh from the master, as the board user, to `address`, with `password` (empty: none).
  sys::ProcessResult ssh_from_master(const std::string& address, const std::string& password,
                                     const std::string& remote_command) {
    std::vector<std::string> argv = {"ssh", "-o", "UserKnownHostsFile=/tmp/known_hosts", "-o",
                                     "StrictHostKeyChecking=accept-new", "-o", "ConnectTimeout=5"};
    if (password.empty()) argv.insert(argv.end(), {"-o", "BatchMode=yes"});
    else argv.insert(argv.begin(), {"env", "SSHPASS=" + password, "sshpass", "-e"});
    argv.insert(argv.end(), {"linaro@" + address, remote_command});
    return run("master", argv, "linaro");
  }
};

TEST_F(SimBasics, EveryNodeIsAFreshParallellaWithItsOwnHostnameHostsAndHome) {
  for (const auto& node : sim().state().nodes) {
    EXPECT_EQ(run(node.label, {"hostname"}).out, "linaro-nano\n") << node.label;
    EXPECT_THAT(run(node.label, {"cat", "/etc/hosts"}).out, HasSubstr("127.0.1.1\tlinaro-nano\n"));
    EXPECT_EQ(run(node.label, {"stat", "-c", "%U %a", "/home/linaro"}).out, "linaro 755\n");
    EXPECT_EQ(run(node.label, {"id", "-nG"}, "linaro").out, "linaro sudo\n");
    EXPECT_EQ(run(node.label, {"pwd"}, "linaro").out, "/home/linaro\n");
  }
  auto status = sim().status();
  ASSERT_EQ(status.size(), 4u);
  EXPECT_EQ(status[0].label, "master");
  EXPECT_EQ(status[0].address, sim().address("master"));
  EXPECT_EQ(status[3].label, "node3");
  for (const auto& row : status) EXPECT_TRUE(row.sshd_up) << row.label;
}

TEST_F(SimBasics, EachBoardHasOneCoreByDefaultAsItsCommandsAndSshLoginsSee) {
  for (const auto& node : sim().state().nodes) {
    EXPECT_EQ(run(node.label, {"nproc"}, "linaro").out, "1\n") << node.label;
    // The node's own sshd (its pid file, not the host's oldest sshd: nodes share the host's
    // process table) and so every login inherit the board's one core too.
    EXPECT_THAT(run(node.label, {"sh", "-c", "sed -n 's/^Cpus_allowed_list:\\s*//p' /proc/$(cat /run/sshd.pid)/status"}).out,
                ::testing::MatchesRegex("[0-9]+\n"))
        << node.label;
  }
  EXPECT_EQ(run("master", {"taskset", "-pc", "1"}).exit_code, 0);  // the host's CPUs are still all there
}

TEST_F(SimBasics, AHostnameOrFileChangedOnOneNodeStaysOnThatNode) {
  ASSERT_EQ(run("node1", {"sh", "-c", "echo only-node1 > /etc/beowulf-sim-probe && hostname worker001"}).exit_code, 0);
  EXPECT_EQ(run("node1", {"cat", "/etc/beowulf-sim-probe"}).out, "only-node1\n");
  EXPECT_EQ(run("node1", {"hostname"}).out, "worker001\n");
  EXPECT_EQ(run("node2", {"test", "-e", "/etc/beowulf-sim-probe"}).exit_code, 1);
  EXPECT_EQ(run("node2", {"hostname"}).out, "linaro-nano\n");
  EXPECT_EQ(access("/etc/beowulf-sim-probe", F_OK), -1);  // nor on the host
  ASSERT_EQ(run("node1", {"sh", "-c", "rm /etc/beowulf-sim-probe && hostname linaro-nano"}).exit_code, 0);
}

TEST_F(SimBasics, NoNodeHasADefaultRouteAndTheHostHasNoRouteIn) {
  for (const auto& node : sim().state().nodes) {
    auto routes = run(node.label, {"ip", "route", "show", "table", "all"});
    EXPECT_THAT(routes.out, Not(HasSubstr("default"))) << node.label;
    EXPECT_THAT(routes.out, HasSubstr(sim().state().subnet + " dev eth0"));
    EXPECT_THAT(run(node.label, {"ip", "-o", "link", "show", "lo"}).out, HasSubstr("UP")) << node.label;
  }
  auto host_routes = sys::run({.argv = {"ip", "route", "show", "table", "all"}});
  ASSERT_TRUE(host_routes.ok());
  EXPECT_THAT(host_routes->out, Not(HasSubstr("198.18.")));
  EXPECT_THAT(host_routes->out, Not(HasSubstr("198.19.")));
  auto host_addresses = sys::run({.argv = {"ip", "-o", "addr"}});
  ASSERT_TRUE(host_addresses.ok());
  EXPECT_THAT(host_addresses->out, Not(HasSubstr("198.18.")));
  EXPECT_THAT(host_addresses->out, Not(HasSubstr("veth")));
}

TEST_F(SimBasics, SshFromTheMasterNeedsThePassword) {
  auto with_password = ssh_from_master(sim().address("node1"), "linaro", "hostname; id -un");
  EXPECT_EQ(with_password.exit_code, 0) << with_password.err;
  EXPECT_EQ(with_password.out, "linaro-nano\nlinaro\n");
  auto without = ssh_from_master(sim().address("node2"), "", "true");
  EXPECT_EQ(without.exit_code, 255);
  EXPECT_THAT(without.err, HasSubstr("Permission denied (publickey,password)"));
  auto wrong = ssh_from_master(sim().address("node2"), "wrong", "true");
  EXPECT_NE(wrong.exit_code, 0);
}

TEST_F(SimBasics, SudoAsksForTheBoardUsersPassword) {
  auto without = run("node1", {"sudo", "-n", "true"}, "linaro");
  EXPECT_EQ(without.exit_code, 1);
  EXPECT_THAT(without.err, HasSubstr("a password is required"));
  auto with = run("node1", {"sudo", "-S", "-p", "", "id", "-un"}, "linaro", "linaro\n");
  EXPECT_EQ(with.exit_code, 0) << with.err;
  EXPECT_EQ(with.out, "root\n");
}

TEST_F(SimBasics, EveryNodeHasItsOwnHostKeys) {
  std::set<std::string> fingerprints;
  for (const auto& node : sim().state().nodes) {
    auto key = run(node.label, {"ssh-keygen", "-lf", "/etc/ssh/ssh_host_ed25519_key.pub"});
    ASSERT_EQ(key.exit_code, 0) << key.err;
    fingerprints.insert(key.out.substr(0, key.out.find(' ', key.out.find(' ') + 1)));
  }
  EXPECT_EQ(fingerprints.size(), sim().state().nodes.size());
}

TEST_F(SimBasics, ExecPassesStdinAndReturnsTheExitStatus) {
  auto r = run("node2", {"sh", "-c", "cat; echo to-stderr >&2; exit 7"}, "linaro", "piped in\n");
  EXPECT_EQ(r.exit_code, 7);
  EXPECT_EQ(r.out, "piped in\n");
  EXPECT_EQ(r.err, "to-stderr\n");
  auto env = run("node2", {"sh", "-c", "echo $HOME $USER $LOGNAME $SHELL"}, "linaro");
  EXPECT_EQ(env.out, "/home/linaro linaro linaro /bin/bash\n");
  EXPECT_EQ(run("node2", {"sh", "-c", "echo $HOME; id -u"}).out, "/root\n0\n");
}

TEST_F(SimBasics, TheHolderStartsWhatRootAsksAndReapsWhatItLeavesBehind) {
  // A command whose shell exits at once leaves its `sleep` behind: the holder, a
  // subreaper, adopts it and reaps it when it ends (this machine's init would not).
  auto holder = std::to_string(sim().state().processes.at("node1").at("holder").pid);
  auto r = run("node1", {"sh", "-c",
                         "echo 'sleep 30 & echo $! > /run/orphan.pid' > /run/beowulf-sim/start\n"
                         "i=0; until [ -s /run/orphan.pid ]; do i=$((i+1)); [ $i -lt 200 ] || exit 2; sleep 0.05; done\n"
                         "p=$(cat /run/orphan.pid)\n"
                         "parent() { awk '/^PPid/ {print $2}' /proc/$p/status; }\n"
                         "i=0; until [ \"$(parent)\" = " + holder + " ]; do i=$((i+1)); [ $i -lt 200 ] || break; sleep 0.05; done\n"
                         "echo \"parent $(parent)\"\n"
                         "kill $p\n"
                         "i=0; while [ -e /proc/$p ]; do i=$((i+1)); [ $i -lt 200 ] || "
                         "{ echo \"left $(awk '/^State/ {print $2}' /proc/$p/status)\"; exit 3; }; sleep 0.05; done\n"
                         "echo gone\n"});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(r.out, "parent " + holder + "\ngone\n");
  auto user = run("node1", {"sh", "-c", "test -w /run/beowulf-sim/start && echo writable || echo refused"}, "linaro");
  EXPECT_EQ(user.out, "refused\n");
}

TEST_F(SimBasics, ExecRefusesAnUnknownNodeOrUser) {
  auto node = sim().exec_argv("node9", {"true"});
  ASSERT_FALSE(node.ok());
  EXPECT_EQ(node.error().what, "no node 'node9' in sim '" + sim().state().name + "'");
  EXPECT_EQ(node.error().hint, "its nodes are master .. node3");
  auto user = sim().exec_argv("node1", {"true"}, "bob");
  ASSERT_FALSE(user.ok());
  EXPECT_EQ(user.error().what, "node1 (" + sim().address("node1") + "): no user 'bob' on this node");
}

}  // namespace
}  // namespace beowulf::sim
