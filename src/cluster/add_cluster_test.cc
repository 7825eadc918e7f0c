// init, add and discover on a virtual cluster of fresh boards, as a user runs them:
// `beowulf` inside the master, as the board user. Each TEST is one scenario on a sim of
// its own (ctest runs every test in its own process); steps are SCOPED_TRACEd.

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <set>
#include <thread>

#include <fmt/core.h>

#include "sim/testing.h"

namespace beowulf::cluster {
namespace {

using ::testing::HasSubstr;

const std::string kBeowulf = std::string(BEOWULF_BINARY_DIR) + "/src/cli/beowulf";
const std::string kCpi = std::string(BEOWULF_BINARY_DIR) + "/examples/beowulf-cpi";
const std::vector<std::string> kNodes = {"master", "node1", "node2", "node3"};
const std::vector<std::string> kNames = {"master", "worker001", "worker002", "worker003"};

/// Shared by the scenarios: a sim of 3 fresh boards and what a user types on its master.
template <typename Derived>
class Bootstrap : public sim::SimTest<Derived> {
 public:
  static sim::UpOptions options() { return {.workers = 3}; }

 protected:
  using sim::SimTest<Derived>::sim;
  using sim::SimTest<Derived>::run;

  /// "198.18.N." of this sim.
  std::string prefix() {
    std::string a = sim().address("master");
    return a.substr(0, a.rfind('.') + 1);
  }
  std::string all_workers() { return prefix() + "[11-13]"; }

  /// A shell command as linaro on `node`.
  sys::ProcessResult sh(const std::string& node, const std::string& command, const std::string& input = {}) {
    return run(node, {"sh", "-c", command}, "linaro", input);
  }
  /// `beowulf ARGS` on the master as linaro.
  sys::ProcessResult beowulf(const std::vector<std::string>& args, const std::string& input = {}) {
    std::vector<std::string> argv = {kBeowulf};
    argv.insert(argv.end(), args.begin(), args.end());
    return run("master", argv, "linaro", input);
  }
  sys::ProcessResult add(const std::string& password = "linaro") {
    return beowulf({"add", all_workers(), "--password-stdin"}, password + "\n");
  }

  /// The add table for the three workers, each with `results[i]` ("ok" or the failure).
  std::string table(const std::vector<std::string>& hostnames, const std::vector<std::string>& results) {
    std::size_t w = prefix().size() + 2, hw = 8;
    for (const auto& h : hostnames) hw = std::max(hw, h.size());
    std::string out = fmt::format("NODE       {:<{}}  {:<{}}  RESULT\n", "ADDRESS", w, "HOSTNAME", hw);
    for (int i = 0; i < 3; ++i)
      out += fmt::format("{:<9}  {:<{}}  {:<{}}  {}\n", kNames[i + 1], prefix() + std::to_string(11 + i), w,
                         hostnames[i], hw, results[i]);
    return out;
  }

  /// Checksums of every file add may touch, on every node.
  std::string checksums() {
    std::string out;
    for (const auto& node : kNodes)
      out += node + "\n" +
             sh(node, "md5sum /etc/hosts /etc/hostname ~/.ssh/* ~/.beowulf/*.toml ~/.beowulf/*file 2>/dev/null; uname -n")
                 .out;
    return out;
  }

  /// Every ordered pair of nodes: ssh by name in BatchMode on a fresh connection.
  void expect_all_pairs_trust() {
    for (const auto& from : kNodes) {
      std::string loop = "for h in master worker001 worker002 worker003; do "
                         "ssh -o BatchMode=yes -o ControlPath=none -o ConnectTimeout=5 $h uname -n || echo FAILED $h; done";
      auto r = sh(from, loop);
      EXPECT_EQ(r.out, "master\nworker001\nworker002\nworker003\n") << "from " << from << ": " << r.err;
    }
  }

  void expect_hostnames() {
    for (int i = 1; i <= 3; ++i) {
      auto r = sh("node" + std::to_string(i), "uname -n; cat /etc/hostname");
      EXPECT_EQ(r.out, fmt::format("worker00{0}\nworker00{0}\n", i));
    }
  }

  /// The hosts blocks: the same on every node, mapping every name to its cluster address.
  void expect_hosts_blocks() {
    std::string want = "# BEGIN beowulf\n";
    for (int i = 0; i < 4; ++i) want += fmt::format("{}{} {}\n", prefix(), 10 + i, kNames[i]);
    want += "# END beowulf\n";
    for (const auto& node : kNodes) {
      EXPECT_EQ(sh(node, "sed -n '/^# BEGIN beowulf$/,/^# END beowulf$/p' /etc/hosts").out, want) << node;
      auto resolved = sh(node, "getent ahostsv4 master worker001 worker002 worker003 | awk '/STREAM/ {print $1}'");
      EXPECT_EQ(resolved.out, fmt::format("{0}10\n{0}11\n{0}12\n{0}13\n", prefix())) << node << " resolves to loopback?";
    }
  }
};

class FreshBoards : public Bootstrap<FreshBoards> {
 public:
  static std::string suffix() { return "a"; }
};

class FailingBoards : public Bootstrap<FailingBoards> {
 public:
  static std::string suffix() { return "b"; }
};

class SudoLessBoard : public Bootstrap<SudoLessBoard> {
 public:
  static std::string suffix() { return "c"; }
};

TEST_F(FreshBoards, BecomeAProvedCluster) {
  {
    SCOPED_TRACE("init");
    auto init = beowulf({"init", "--name", "master"});
    ASSERT_EQ(init.exit_code, 0) << init.err;
    // A sim board has one core (sim up --cores 1): the master's slots are its cores.
    EXPECT_EQ(init.out, fmt::format("made the master's key ~/.ssh/id_ed25519\n"
                                    "master master ({}10), 1 slot: ~/.beowulf/cluster.toml\n"
                                    "next: beowulf add ADDRESS... (e.g. beowulf add 198.18.0.[11-13] --user linaro)\n",
                                    prefix()));
    auto again = beowulf({"init", "--name", "master"});
    EXPECT_EQ(again.out, fmt::format("kept the master's key ~/.ssh/id_ed25519\n"
                                     "already initialised: master master ({}10); nothing changed\n",
                                     prefix()));
  }
  {
    SCOPED_TRACE("add with the password");
    auto r = add();
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_EQ(r.out, table({"worker001", "worker002", "worker003"}, {"ok", "ok", "ok"}));
  }
  expect_all_pairs_trust();
  expect_hostnames();
  expect_hosts_blocks();
  {
    SCOPED_TRACE("mpiexec on the machine file");
    auto r = sh("master", fmt::format("mpiexec.mpich -f ~/.beowulf/machinefile -ppn 1 -n 4 {}", kCpi));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    std::set<std::string> hosts;
    for (int rank = 0; rank < 4; ++rank)
      for (const auto& name : kNames)
        if (r.out.find(fmt::format("Process {} of 4 is on {}\n", rank, name)) != std::string::npos) hosts.insert(name);
    EXPECT_EQ(hosts.size(), 4u) << r.out;
    EXPECT_THAT(r.out, HasSubstr("pi is approximately 3.14159265"));
  }
  {
    SCOPED_TRACE("a second add changes no byte on any node");
    std::string before = checksums();
    auto r = add();
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(checksums(), before);
  }
  {
    SCOPED_TRACE("remove --revoke, then add again");
    auto r = beowulf({"remove", "worker003", "--revoke"});  // no password: sudo -n
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, fmt::format("removed worker003 ({}13), its keys revoked\n", prefix()));
    EXPECT_EQ(sh("master", "ssh -o BatchMode=yes -o ControlPath=none " + prefix() + "13 true").exit_code, 255);
    for (const auto& node : {"master", "node1", "node2"})
      EXPECT_EQ(sh(node, "grep -c worker003 /etc/hosts ~/.ssh/authorized_keys ~/.ssh/known_hosts").out,
                "/etc/hosts:0\n/home/linaro/.ssh/authorized_keys:0\n/home/linaro/.ssh/known_hosts:0\n")
          << node;
    EXPECT_EQ(sh("master", "grep -c worker003 ~/.beowulf/machinefile ~/.ssh/config").out,
              "/home/linaro/.beowulf/machinefile:0\n/home/linaro/.ssh/config:0\n");
    auto back = beowulf({"add", prefix() + "13", "--password-stdin"}, "linaro\n");
    EXPECT_EQ(back.exit_code, 0) << back.err;
    EXPECT_THAT(back.out, HasSubstr("worker003  " + prefix() + "13  worker003  ok\n"));
    expect_all_pairs_trust();
  }
  {
    SCOPED_TRACE("discover finds exactly the sim's nodes");
    auto r = beowulf({"discover"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    std::size_t w = prefix().size() + 2;
    std::string want = fmt::format("{:<{}}  MEMBER      SSH BANNER\n", "ADDRESS", w);
    for (int i = 0; i < 4; ++i)
      want += fmt::format("{:<{}}  {:<10}  {}\n", prefix() + std::to_string(10 + i), w, kNames[i],
                          "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u10");
    std::string banner = sh("master", "printf '' | timeout 2 nc -w1 " + prefix() + "11 22 2>/dev/null | head -1").out;
    if (!banner.empty() && banner.find("SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u10") == std::string::npos)
      GTEST_SKIP() << "this machine's OpenSSH differs: " << banner;
    EXPECT_EQ(r.out, want);
  }
}

TEST_F(FailingBoards, FailPerNodeAndARunAgainFinishesTheJob) {
  ASSERT_EQ(beowulf({"init", "--name", "master"}).exit_code, 0);
  {
    SCOPED_TRACE("a wrong password: every node fails its first contact, nothing is recorded");
    auto r = add("wrong");
    EXPECT_EQ(r.exit_code, 1);
    std::string failed = "failed: first contact: ssh: wrong password";
    EXPECT_EQ(r.out, table({"-", "-", "-"}, {failed, failed, failed}));
    EXPECT_THAT(r.err, HasSubstr(fmt::format("beowulf: error: worker001 ({}11): first contact: ssh: wrong password\n",
                                             prefix())));
    EXPECT_EQ(sh("master", "grep -c . ~/.beowulf/machinefile").out, "2\n");  // the header and the master
  }
  {
    SCOPED_TRACE("a node whose sshd is down: the others complete");
    ASSERT_TRUE(sim().fault("node2", "sshd-down").ok());
    auto r = add();
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_EQ(r.out, table({"worker001", "-", "worker003"}, {"ok", "failed: first contact: ssh: connection refused", "ok"}));
    EXPECT_THAT(r.err, HasSubstr(fmt::format("beowulf: error: worker002 ({}12): first contact: ssh: connection refused\n"
                                             "hint: the node is up but no sshd answers on port 22",
                                             prefix())));
    EXPECT_EQ(sh("master", "grep -v '^#' ~/.beowulf/machinefile | cut -d: -f1").out, "master\nworker001\nworker003\n");
    ASSERT_TRUE(sim().heal("node2").ok());
  }
  {
    SCOPED_TRACE("add killed half-way, then run again");
    auto started = sys::Process::start(
        {.argv = sim().exec_argv("master", {"sh", "-c", "echo $$ > /tmp/add.pid; exec " + kBeowulf + " add " +
                                                            all_workers() + " --password-stdin"},
                                 "linaro")
                     .value()});
    ASSERT_TRUE(started.ok());
    ASSERT_EQ(write(started->stdin_fd(), "linaro\n", 7), 7);
    started->close_stdin();
    // Wait until node2 got the master's key (first contact done), then kill add.
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (sh("node2", "grep -q master ~/.ssh/authorized_keys").exit_code != 0)
      ASSERT_LT(std::chrono::steady_clock::now(), deadline) << "add never reached node2";
    auto killed = sh("master", "kill -9 $(cat /tmp/add.pid)");
    EXPECT_EQ(killed.exit_code, 0) << "add had finished before it could be killed: " << killed.err;
    sys::ProcessResult ended;
    started->wait(ended);

    auto r = add();
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, table({"worker001", "worker002", "worker003"}, {"ok", "ok", "ok"}));
    expect_all_pairs_trust();
    expect_hostnames();
    expect_hosts_blocks();
    std::string before = checksums();
    EXPECT_EQ(add().exit_code, 0);
    EXPECT_EQ(checksums(), before) << "the run after the kill did not end in one clean run's state";
  }
  {
    SCOPED_TRACE("an impostor at a member's address is refused before any password or key is sent");
    std::string recorded =
        sh("master", "awk -F'\"' '/^host_key =/ {print $2}' ~/.beowulf/cluster.toml | sed -n 4p").out;
    recorded.pop_back();
    std::string offered = run("node1", {"ssh-keygen", "-lf", "/etc/ssh/ssh_host_ed25519_key.pub"}).out;
    offered = offered.substr(offered.find("SHA256:"), 50);
    // node3 becomes another machine (node1's keys, as a cloned card has) that trusts nobody:
    // any login there would need the password.
    ASSERT_TRUE(sim().fault("node3", "clone-host-keys", "node1").ok());
    sh("node3", "rm -f ~/.ssh/authorized_keys");
    auto r = add();
    EXPECT_EQ(r.exit_code, 1);
    std::string failed = fmt::format(
        "failed: check host key: the node's host key changed (recorded {}, offered {}): refused before any "
        "password or key was sent",
        recorded, offered);
    EXPECT_EQ(r.out, table({"worker001", "worker002", "-"}, {"ok", "ok", failed}));
    EXPECT_THAT(r.err, HasSubstr(fmt::format(
                           "hint: check the key on the board's console with 'ssh-keygen -lf "
                           "/etc/ssh/ssh_host_ed25519_key.pub'; if it prints {0}, the board was re-imaged: accept "
                           "it with --new-host-key {0} (or 'beowulf remove' the node first)\n",
                           offered)));
    EXPECT_EQ(sh("node3", "ls ~/.ssh/authorized_keys 2>&1 >/dev/null | wc -l").out, "1\n")
        << "the impostor got the master's key: a login happened";

    SCOPED_TRACE("the user read the new key on the board's console: --new-host-key accepts it");
    auto back = beowulf({"add", prefix() + "13", "--new-host-key", offered, "--password-stdin"}, "linaro\n");
    EXPECT_EQ(back.exit_code, 0) << back.err;
    EXPECT_THAT(back.out, HasSubstr("worker003  " + prefix() + "13  worker003  ok\n"));
    EXPECT_EQ(sh("master", "awk -F'\"' '/^host_key =/ {print $2}' ~/.beowulf/cluster.toml | sed -n 4p").out,
              offered + "\n");
    ASSERT_TRUE(sim().heal("node3").ok());
  }
}

TEST_F(SudoLessBoard, IsTakenBackOutOfEveryBlockAndMembersNeedNoPassword) {
  ASSERT_EQ(beowulf({"init", "--name", "master"}).exit_code, 0);
  auto absent = [&](const std::string& name) {
    for (const auto& node : {"master", "node1", "node2"})
      EXPECT_EQ(sh(node, "grep -c " + name + " /etc/hosts ~/.ssh/authorized_keys ~/.ssh/known_hosts").out,
                "/etc/hosts:0\n/home/linaro/.ssh/authorized_keys:0\n/home/linaro/.ssh/known_hosts:0\n")
          << node;
  };
  {
    SCOPED_TRACE("node3's user is not in sudoers: it fails after the blocks went out, and is taken out again");
    ASSERT_EQ(run("node3", {"gpasswd", "-d", "linaro", "sudo"}).exit_code, 0);
    auto r = add();
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_EQ(r.out, table({"worker001", "worker002", "-"},
                           {"ok", "ok", "failed: update files: sudo refused: linaro may not use sudo"}));
    absent("worker003");
    EXPECT_EQ(sh("master", "grep -c worker003 ~/.beowulf/machinefile ~/.ssh/config ~/.beowulf/cluster.toml").out,
              "/home/linaro/.beowulf/machinefile:0\n/home/linaro/.ssh/config:0\n/home/linaro/.beowulf/cluster.toml:0\n");
  }
  {
    SCOPED_TRACE("the members were given password-less sudo: adding node3 sends them no password");
    for (const auto& node : {"node1", "node2"}) EXPECT_EQ(sh(node, "sudo -n true").exit_code, 0) << node;
    ASSERT_EQ(run("node3", {"gpasswd", "-a", "linaro", "sudo"}).exit_code, 0);
    auto back = beowulf({"add", prefix() + "13", "--password-stdin"}, "linaro\n");
    EXPECT_EQ(back.exit_code, 0) << back.err;
    EXPECT_THAT(back.out, HasSubstr("worker003  " + prefix() + "13  worker003  ok\n"));
    expect_all_pairs_trust();
    expect_hosts_blocks();
  }
  {
    SCOPED_TRACE("a file that changes while beowulf updates it is not overwritten");
    // node1's known_hosts is rewritten without pause, so it differs from what gather read.
    auto writer = sys::Process::start(
        {.argv = sim().exec_argv("node1",
                                 {"sh", "-c",
                                  "echo $$ > ~/writer.pid; i=0; while :; do i=$((i+1)); echo \"# $i\" > ~/.ssh/kh.tmp; "
                                  "mv ~/.ssh/kh.tmp ~/.ssh/known_hosts; done"},
                                 "linaro")
                     .value()});
    ASSERT_TRUE(writer.ok());
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (sh("node1", "head -c 2 ~/.ssh/known_hosts").out != "# ")
      ASSERT_LT(std::chrono::steady_clock::now(), deadline) << "the writer never started";
    auto r = beowulf({"remove", "worker003"});
    EXPECT_EQ(sh("node1", "kill $(cat ~/writer.pid)").exit_code, 0);
    sys::ProcessResult ended;
    writer->wait(ended);
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_THAT(r.err, HasSubstr(fmt::format("beowulf: error: worker001 ({}11): update files: "
                                             "/home/linaro/.ssh/known_hosts changed since beowulf read it: not "
                                             "overwritten\n",
                                             prefix())));
    EXPECT_THAT(sh("node1", "cat ~/.ssh/known_hosts").out, ::testing::MatchesRegex("# [0-9]+\n"));
  }
}

}  // namespace
}  // namespace beowulf::cluster
