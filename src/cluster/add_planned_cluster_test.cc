// `beowulf add --planned` on a virtual cluster: nodes given what a card written by
// `beowulf image prepare/burn` carries (host keys made on the master, the master's key
// authorized, the hosts block, password-less sudo), recorded as planned nodes, become
// members with no password asked or sent; a node offering any other host key is refused
// before anything reaches it.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fmt/core.h>

#include "sim/testing.h"

namespace beowulf::cluster {
namespace {

using ::testing::HasSubstr;

const std::string kBeowulf = std::string(BEOWULF_BINARY_DIR) + "/src/cli/beowulf";

class PlannedCards : public sim::SimTest<PlannedCards> {
 public:
  static sim::UpOptions options() { return {.workers = 2}; }
  static std::string suffix() { return "p"; }

 protected:
  std::string prefix() {
    std::string a = sim().address("master");
    return a.substr(0, a.rfind('.') + 1);
  }
  sys::ProcessResult sh(const std::string& node, const std::string& command, const std::string& user = "linaro") {
    return run(node, {"sh", "-c", command}, user);
  }
  sys::ProcessResult beowulf(const std::vector<std::string>& args) {
    std::vector<std::string> argv = {kBeowulf};
    argv.insert(argv.end(), args.begin(), args.end());
    return run("master", argv, "linaro");
  }

  /// Host keys made on the master for card `name`, as `image prepare` makes them: the
  /// public key line ("ssh-ed25519 AAAA...").
  std::string make_card_keys(const std::string& name) {
    auto made = sh("master", fmt::format("rm -rf /tmp/{0} && mkdir -p /tmp/{0} && "
                                         "ssh-keygen -q -t ed25519 -N '' -C root@{0} -f /tmp/{0}/ssh_host_ed25519_key && "
                                         "cut -d' ' -f1,2 /tmp/{0}/ssh_host_ed25519_key.pub",
                                         name));
    EXPECT_EQ(made.exit_code, 0) << made.err;
    return made.out.substr(0, made.out.find('\n'));
  }

  /// What a prepared card carries, put into `node` while its sshd is down: the card's host
  /// keys (when `with_keys`), the master's key, the hosts block, its name, sudo without a password.
  void prepare_board(const std::string& node, const std::string& name, bool with_keys) {
    ASSERT_TRUE(sim().fault(node, "sshd-down").ok());
    std::string master_key = sh("master", "cat ~/.ssh/id_ed25519.pub").out;
    std::string hosts = fmt::format("# BEGIN beowulf\n{0}10 master\n{0}11 worker001\n{0}12 worker002\n# END beowulf\n",
                                    prefix());
    std::string script = fmt::format(
        "mkdir -p ~linaro/.ssh && printf '%s' '{0}' > ~linaro/.ssh/authorized_keys && "
        "chown -R linaro: ~linaro/.ssh && chmod 700 ~linaro/.ssh && chmod 600 ~linaro/.ssh/authorized_keys && "
        "printf '%s' '{1}' >> /etc/hosts && echo {2} > /etc/hostname && hostname {2} && "
        "echo 'linaro ALL=(ALL) NOPASSWD: ALL' > /etc/sudoers.d/zz-linaro-nopasswd && "
        "chmod 440 /etc/sudoers.d/zz-linaro-nopasswd",
        master_key, hosts, name);
    auto r = sh(node, script, "");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    if (with_keys) {
      auto keys = run(node, {"sh", "-c", fmt::format("rm -f /etc/ssh/ssh_host_*_key* && "
                                                     "cat > /etc/ssh/ssh_host_ed25519_key && chmod 600 /etc/ssh/ssh_host_ed25519_key && "
                                                     "ssh-keygen -y -f /etc/ssh/ssh_host_ed25519_key > /etc/ssh/ssh_host_ed25519_key.pub")},
                      "", sh("master", fmt::format("cat /tmp/{}/ssh_host_ed25519_key", name)).out);
      ASSERT_EQ(keys.exit_code, 0) << keys.err;
      // sshd's config names an ecdsa key too: a card written by beowulf has only what it made.
      run(node, {"sed", "-i", "/ssh_host_ecdsa_key/d", "/etc/ssh/sshd_config"});
    }
    ASSERT_TRUE(sim().heal(node).ok());
  }

  /// Records `name` in the master's inventory as a planned node with `host_key`.
  void plan(const std::string& name, const std::string& address, const std::string& host_key) {
    std::string node = fmt::format("\n[[node]]\nname = \"{}\"\naddress = \"{}\"\nuser = \"linaro\"\nslots = 1\n"
                                   "planned = true\nhost_keys = [\"{}\"]\n",
                                   name, address, host_key);
    auto r = run("master", {"sh", "-c", "cat >> ~/.beowulf/cluster.toml"}, "linaro", node);
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
};

TEST_F(PlannedCards, BecomeMembersWithNoPasswordAndAnImpostorIsRefused) {
  ASSERT_EQ(beowulf({"init", "--name", "master"}).exit_code, 0);
  // The master's own /etc/hosts needs root: its user has run `sudo -v` (here: sudo
  // without a password), since no password is given to add.
  ASSERT_EQ(sh("master", "echo 'linaro ALL=(ALL) NOPASSWD: ALL' > /etc/sudoers.d/zz-linaro-nopasswd", "").exit_code, 0);
  std::string card1 = make_card_keys("worker001");
  std::string card2 = make_card_keys("worker002");
  prepare_board("node1", "worker001", true);
  prepare_board("node2", "worker002", false);  // the board at worker002's address is another machine
  plan("worker001", prefix() + "11", card1);
  plan("worker002", prefix() + "12", card2);
  {
    SCOPED_TRACE("status shows planned nodes as planned, not down");
    auto r = beowulf({"status"});
    EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_THAT(r.out, HasSubstr(fmt::format("worker001  {}11  -     planned: not yet added: beowulf add --planned\n", prefix())));
    EXPECT_THAT(r.out, HasSubstr("3 nodes: 1 up, 2 planned\n"));
    EXPECT_EQ(sh("master", "grep -c worker ~/.beowulf/machinefile").out, "0\n");
  }
  {
    SCOPED_TRACE("add --planned: no password given, none asked");
    auto r = beowulf({"add", "--planned", "--wait", "30"});
    EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
    std::string offered = run("node2", {"ssh-keygen", "-lf", "/etc/ssh/ssh_host_ed25519_key.pub"}).out;
    offered = offered.substr(offered.find("SHA256:"), 50);
    std::string planned = sh("master", "ssh-keygen -lf /tmp/worker002/ssh_host_ed25519_key.pub").out;
    planned = planned.substr(planned.find("SHA256:"), 50);
    EXPECT_THAT(r.out, HasSubstr(fmt::format("worker001  {}11  worker001  ok\n", prefix())));
    EXPECT_THAT(r.out, HasSubstr(fmt::format("worker002  {}12  -          failed: check host key: the node offers host "
                                             "key {}, not the one made for its card ({}): refused before any password "
                                             "or key was sent\n",
                                             prefix(), offered, planned)));
    EXPECT_THAT(r.err, ::testing::Not(HasSubstr("Password for")));  // no prompt
  }
  {
    SCOPED_TRACE("nothing reached the impostor");
    EXPECT_EQ(sh("node2", "ls ~/.ssh").out, "authorized_keys\n") << "a login made its key: someone logged in";
    EXPECT_EQ(sh("node2", "cat /etc/hostname").out, "worker002\n");
  }
  {
    SCOPED_TRACE("the planned card is a member, trusted both ways, with the key it was made with");
    EXPECT_EQ(sh("master", "ssh -o BatchMode=yes -o ControlPath=none worker001 uname -n").out, "worker001\n");
    EXPECT_EQ(sh("node1", "ssh -o BatchMode=yes -o ControlPath=none master uname -n").out, "master\n");
    EXPECT_EQ(sh("master", "grep -v '^#' ~/.beowulf/machinefile | cut -d: -f1").out, "master\nworker001\n");
    EXPECT_EQ(sh("master", "grep -c '^planned = true' ~/.beowulf/cluster.toml").out, "1\n");
    std::string print = sh("master", "ssh-keygen -lf /tmp/worker001/ssh_host_ed25519_key.pub").out;
    print = print.substr(print.find("SHA256:"), 50);
    EXPECT_THAT(sh("master", "cat ~/.beowulf/cluster.toml").out, HasSubstr("host_key = \"" + print + "\""));
  }
}

}  // namespace
}  // namespace beowulf::cluster
