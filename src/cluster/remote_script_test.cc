// The scripts are run for real here, by /bin/sh in a scratch HOME: what they do to files
// is what a node sees. The root part (sudo) is only read: unit tests have no root.
#include "cluster/remote_script.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "sys/process.h"
#include "sys/temp_dir.h"

namespace beowulf::cluster {
namespace {

namespace fs = std::filesystem;

constexpr const char* kKey = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIO+/x= linaro@master's 'key'";

class RemoteScript : public ::testing::Test {
 protected:

  sys::ProcessResult sh(const std::string& script, const std::string& input = {}) {
    auto r = sys::run({.argv = {"sh", "-c", script}, .env = {{"HOME", home_}}, .input = input});
    EXPECT_TRUE(r.ok());
    return *r;
  }
  std::string read(const std::string& path) {
    std::ifstream in(home_ + "/" + path);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }
  void write(const std::string& path, const std::string& text) { std::ofstream(home_ + "/" + path) << text; }
  unsigned mode(const std::string& path) {
    struct stat st{};
    EXPECT_EQ(stat((home_ + "/" + path).c_str(), &st), 0) << path;
    return st.st_mode & 07777;
  }

  sys::TempDir tmp_{"beowulf-remote-script"};
  std::string home_ = tmp_.path();
};

TEST_F(RemoteScript, AuthorizesAKeyOnceWithTheModesSshdDemands) {
  ASSERT_EQ(sh(authorize_key_script(kKey)).exit_code, 0);
  ASSERT_EQ(sh(authorize_key_script(kKey)).exit_code, 0);
  EXPECT_EQ(read(".ssh/authorized_keys"), std::string("# BEGIN beowulf\n") + kKey + "\n# END beowulf\n");
  EXPECT_EQ(mode(".ssh"), 0700u);
  EXPECT_EQ(mode(".ssh/authorized_keys"), 0600u);
}

TEST_F(RemoteScript, KeepsOtherKeysAndAddsToAnExistingBlock) {
  fs::create_directory(home_ + "/.ssh", home_);
  write(".ssh/authorized_keys", "ssh-rsa AAAA user@laptop");  // no final newline
  ASSERT_EQ(sh(authorize_key_script(kKey)).exit_code, 0);
  EXPECT_EQ(read(".ssh/authorized_keys"),
            std::string("ssh-rsa AAAA user@laptop\n# BEGIN beowulf\n") + kKey + "\n# END beowulf\n");

  write(".ssh/authorized_keys", "# BEGIN beowulf\nssh-ed25519 BBBB old\n# END beowulf\n");
  ASSERT_EQ(sh(authorize_key_script(kKey)).exit_code, 0);
  EXPECT_EQ(read(".ssh/authorized_keys"),
            std::string("# BEGIN beowulf\n") + kKey + "\nssh-ed25519 BBBB old\n# END beowulf\n");
}

TEST_F(RemoteScript, GatherMakesAKeyOnceAndReportsTheFiles) {
  fs::create_directory(home_ + "/.ssh");
  write(".ssh/known_hosts", "");
  auto first = sh(gather_script("worker002"));
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_EQ(mode(".ssh/id_ed25519"), 0600u);
  std::string pub = read(".ssh/id_ed25519.pub");
  EXPECT_EQ(pub.rfind("ssh-ed25519 ", 0), 0u);
  EXPECT_NE(pub.find("@worker002\n"), std::string::npos);

  auto second = sh(gather_script("worker002"));
  EXPECT_EQ(read(".ssh/id_ed25519.pub"), pub);
  EXPECT_NE(second.out.find("\nauthorized_keys -\n"), std::string::npos) << second.out;
  EXPECT_NE(second.out.find("\nknown_hosts =\n"), std::string::npos) << second.out;
  EXPECT_EQ(second.out.rfind("hostname ", 0), 0u);
  // this machine's userland, as dpkg names it
  auto dpkg = sys::run({.argv = {"dpkg", "--print-architecture"}});
  ASSERT_TRUE(dpkg.ok());
  EXPECT_NE(second.out.find("\narch " + dpkg->out), std::string::npos) << second.out;
}

TEST_F(RemoteScript, ApplyWritesOnlyTheChangedFilesWithTheirModes) {
  fs::create_directory(home_ + "/.ssh");
  NodeChanges changes;
  changes.known_hosts = "worker001,198.18.0.11 ssh-ed25519 AAAA\n";
  auto r = sh(apply_script(changes));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(read(".ssh/known_hosts"), *changes.known_hosts);
  EXPECT_EQ(mode(".ssh/known_hosts"), 0644u);
  EXPECT_FALSE(fs::exists(home_ + "/.ssh/authorized_keys"));
  EXPECT_FALSE(fs::exists(home_ + "/.ssh/known_hosts.beowulf-new"));

  changes = {};
  changes.authorized_keys = "a\n'b'\n";
  ASSERT_EQ(sh(apply_script(changes)).exit_code, 0);
  EXPECT_EQ(read(".ssh/authorized_keys"), "a\n'b'\n");
  EXPECT_EQ(mode(".ssh/authorized_keys"), 0600u);
}

TEST_F(RemoteScript, ApplyUsesSudoOnlyForRootFilesAndReadsAPasswordOnlyWhenGivenOne) {
  NodeChanges user_only;
  user_only.known_hosts = "x\n";
  EXPECT_EQ(apply_script(user_only, {.password_on_stdin = true}).find("sudo"), std::string::npos);
  NodeChanges root;
  root.hostname = "worker001";
  // A member: sudo -n only, stdin never read.
  std::string member = apply_script(root);
  EXPECT_NE(member.find("sudo -n sh -c \"$root\"\n"), std::string::npos);
  EXPECT_EQ(member.find("sudo -S"), std::string::npos);
  EXPECT_EQ(member.find("read -r"), std::string::npos);
  // A node being added: the password on stdin, and password-less sudo granted with it.
  std::string added = apply_script(root, {.password_on_stdin = true, .grant_to = "linaro"});
  EXPECT_NE(added.find("sudo -S -p '' sh -c \"$root\n$grant\""), std::string::npos);
  EXPECT_NE(added.find("read -r _"), std::string::npos);
  EXPECT_EQ(added.find("worker001"), std::string::npos) << "data travels as base64";
  EXPECT_EQ(added.find("NOPASSWD"), std::string::npos) << "data travels as base64";
}

TEST_F(RemoteScript, ApplyRefusesToOverwriteAFileChangedSinceItWasRead) {
  fs::create_directory(home_ + "/.ssh");
  write(".ssh/known_hosts", "as read\n");
  NodeChanges changes;
  changes.known_hosts = "new\n";
  changes.read.known_hosts = "as read\n";
  write(".ssh/known_hosts", "someone else's edit\n");
  auto r = sh(apply_script(changes));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err, home_ + "/.ssh/known_hosts changed since beowulf read it: not overwritten\n");
  EXPECT_EQ(read(".ssh/known_hosts"), "someone else's edit\n");
  EXPECT_FALSE(fs::exists(home_ + "/.ssh/known_hosts.beowulf-new"));

  // a file that appeared since it was read as missing is left alone too
  changes.read.known_hosts.reset();
  EXPECT_EQ(sh(apply_script(changes)).exit_code, 1);
  EXPECT_EQ(read(".ssh/known_hosts"), "someone else's edit\n");

  changes.read.known_hosts = "someone else's edit\n";
  r = sh(apply_script(changes));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(read(".ssh/known_hosts"), "new\n");
}

TEST_F(RemoteScript, EveryRemoteWriteSyncsTheNewFileBeforeTheRename) {
  NodeChanges changes;
  changes.known_hosts = "x\n";
  for (const std::string& script : {apply_script(changes), authorize_key_script(kKey), revoke_keys_script("k")}) {
    auto sync = script.find("sync \"$");
    auto mv = script.find("mv -f");
    ASSERT_NE(sync, std::string::npos) << script;
    EXPECT_LT(sync, mv) << script;
  }
}

TEST_F(RemoteScript, ProveRetriesOnlyAConnectionClosedBeforeLogin) {
  // A fake ssh on PATH: closed twice, then answers; `uname` is the real one.
  fs::create_directory(home_ + "/bin");
  write("bin/ssh",
        "#!/bin/sh\nn=$(cat \"$HOME/count\" 2>/dev/null || echo 0); echo $((n + 1)) > \"$HOME/count\"\n"
        "if [ $n -lt 2 ]; then echo 'kex_exchange_identification: Connection closed by remote host' >&2; exit 255; fi\n"
        "echo master\n");
  fs::permissions(home_ + "/bin/ssh", fs::perms::owner_all);
  auto path = std::string(getenv("PATH"));
  auto r = sys::run({.argv = {"sh", "-c", prove_script("master")}, .env = {{"HOME", home_}, {"PATH", home_ + "/bin:" + path}}});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->exit_code, 0) << r->err;
  EXPECT_THAT(r->out, ::testing::EndsWith("\nmaster\n"));
  EXPECT_EQ(read("count"), "3\n");

  write("bin/ssh", "#!/bin/sh\necho 'Permission denied (publickey).' >&2; exit 255\n");
  r = sys::run({.argv = {"sh", "-c", prove_script("master")}, .env = {{"HOME", home_}, {"PATH", home_ + "/bin:" + path}}});
  EXPECT_EQ(r->exit_code, 1);
  EXPECT_EQ(r->err, "Permission denied (publickey).\n");
}

TEST_F(RemoteScript, RevokeRemovesExactlyTheGivenKeys) {
  fs::create_directory(home_ + "/.ssh");
  write(".ssh/authorized_keys", std::string("mine\n# BEGIN beowulf\n") + kKey + "\nother\n# END beowulf\n");
  ASSERT_EQ(sh(revoke_keys_script(std::string(kKey) + "\n")).exit_code, 0);
  EXPECT_EQ(read(".ssh/authorized_keys"), "mine\n# BEGIN beowulf\nother\n# END beowulf\n");
  EXPECT_EQ(mode(".ssh/authorized_keys"), 0600u);
}

}  // namespace
}  // namespace beowulf::cluster
