#include "remote/ssh.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "sys/test_env.h"
#include "sys/temp_dir.h"

namespace beowulf::remote {
namespace {

using ::testing::ElementsAreArray;

/// pdsh style: a temp dir first on PATH holding fake `ssh` and `scp` that record their
/// argv (NUL-separated) in DIR/argv; the fake ssh then runs its last argument with sh,
/// as a remote shell would.
class FakeSshTest : public ::testing::Test {
 protected:
  void SetUp() override {
    write_script("ssh", "printf '%s\\0' \"$@\" > \"$(dirname \"$0\")/argv\"\n"
                        "for last; do :; done\nexec sh -c \"$last\"\n");
    write_script("scp", "printf '%s\\0' \"$@\" > \"$(dirname \"$0\")/argv\"\n");
    old_path_ = std::getenv("PATH");
    setenv("PATH", (dir_.string() + ":" + old_path_).c_str(), 1);
  }
  void TearDown() override { setenv("PATH", old_path_.c_str(), 1); }

  void write_script(const std::string& name, const std::string& body) {
    std::ofstream(dir_ / name) << "#!/bin/sh\n" << body;
    chmod((dir_ / name).c_str(), 0755);
  }

  /// Runs the spec through the fake; returns the argv it received.
  std::vector<std::string> recorded(const sys::ProcessSpec& spec, std::string* out = nullptr) {
    auto r = sys::run(spec);
    EXPECT_TRUE(r.ok());
    if (r.ok() && out != nullptr) *out = r->out;
    std::ifstream in(dir_ / "argv");
    std::vector<std::string> argv;
    for (std::string arg; std::getline(in, arg, '\0');) argv.push_back(arg);
    return argv;
  }

  sys::TempDir tmp_{"ssh_test"};
  std::filesystem::path dir_ = tmp_.path();
  std::string old_path_;
};

const Target kNode{.name = "worker001", .address = "198.18.0.11", .user = "linaro"};

SshOptions test_options() {
  SshOptions o;
  o.control_dir = "/home/linaro/.beowulf/ssh";
  return o;
}

TEST_F(FakeSshTest, KeyLoginRunsOneCommandStringOverAWarmSocket) {
  Ssh ssh(test_options());
  std::vector<std::string> expected = {
      "-o", "BatchMode=yes",          "-o", "StrictHostKeyChecking=yes",
      "-o", "ConnectTimeout=10",      "-o", "ServerAliveInterval=5",
      "-o", "ServerAliveCountMax=3",  "-o", "ControlMaster=auto",
      "-o", "ControlPath=/home/linaro/.beowulf/ssh/%C",
      "-o", "ControlPersist=10m",     "-o", "LogLevel=ERROR",
      "-T", "-p", "22", "-l", "linaro", "--", "198.18.0.11", "echo hello"};
  std::string out;
  EXPECT_THAT(recorded(ssh.run(kNode, "echo hello"), &out), ElementsAreArray(expected));
  EXPECT_EQ(out, "hello\n");
}

TEST_F(FakeSshTest, FirstContactAllowsOnePasswordAndTrustsANewHostKeyOnly) {
  SshOptions o = test_options();
  o.first_contact = true;
  o.known_hosts = "/tmp/known hosts";
  o.config_file = "/dev/null";
  std::vector<std::string> expected = {
      "-F", "/dev/null",
      "-o", "BatchMode=no",           "-o", "NumberOfPasswordPrompts=1",
      "-o", "StrictHostKeyChecking=accept-new",
      "-o", "UserKnownHostsFile=\"/tmp/known hosts\"",
      "-o", "ConnectTimeout=10",      "-o", "ServerAliveInterval=5",
      "-o", "ServerAliveCountMax=3",  "-o", "ControlMaster=auto",
      "-o", "ControlPath=/home/linaro/.beowulf/ssh/%C",
      "-o", "ControlPersist=10m",     "-o", "LogLevel=ERROR",
      "-T", "-p", "2222", "-l", "linaro", "--", "198.18.0.11", "true"};
  EXPECT_THAT(recorded(Ssh(o).run({.address = "198.18.0.11", .user = "linaro", .port = 2222}, "true")), ElementsAreArray(expected));
}

TEST_F(FakeSshTest, WithoutMultiplexingEveryCallIsAFreshLogin) {
  SshOptions o = test_options();
  o.multiplex = false;
  o.identity = "/home/linaro/.ssh/id_ed25519";
  auto argv = recorded(Ssh(o).run(kNode, "true"));
  EXPECT_THAT(argv, ::testing::Contains("ControlMaster=no"));
  EXPECT_THAT(argv, ::testing::Contains("ControlPath=none"));
  EXPECT_THAT(argv, ::testing::Contains("IdentityFile=/home/linaro/.ssh/id_ed25519"));
  EXPECT_THAT(argv, ::testing::Not(::testing::Contains("ControlPersist=10m")));
}

TEST_F(FakeSshTest, CopyToKeepsModesAndNamesTheNodeLikeScp) {
  Ssh ssh(test_options());
  auto argv = recorded(ssh.copy_to(kNode, {"/usr/bin/cpi", "data.txt"}, "/home/linaro/"));
  std::vector<std::string> tail(argv.end() - 7, argv.end());
  EXPECT_THAT(tail, ElementsAreArray({"-p", "-P", "22", "--", "/usr/bin/cpi", "data.txt",
                                      "linaro@198.18.0.11:/home/linaro/"}));
  EXPECT_EQ(argv[0], "-o");
  EXPECT_EQ(argv[1], "BatchMode=yes");
}

TEST_F(FakeSshTest, CopyFromBracketsAnIpv6AddressAndCanRecurse) {
  Ssh ssh(test_options());
  auto argv = recorded(ssh.copy_from({.name = "worker001", .address = "fd00::11"}, "/var/log/syslog", "out/worker001/", true));
  std::vector<std::string> tail(argv.end() - 7, argv.end());
  EXPECT_THAT(tail, ElementsAreArray({"-p", "-P", "22", "-r", "--", "[fd00::11]:/var/log/syslog", "out/worker001/"}));
}

// The master is this machine: its work runs here, never over ssh to itself.
TEST(Ssh, ALocalTargetRunsHereWithShAndCp) {
  Ssh ssh(test_options());
  Target master{.name = "master", .address = "198.18.0.10", .user = "linaro", .local = true};
  EXPECT_THAT(ssh.run(master, "hostname").argv, ElementsAreArray({"sh", "-c", "hostname"}));
  EXPECT_THAT(ssh.copy_to(master, {"a", "b"}, "/tmp/", true).argv,
              ElementsAreArray({"cp", "-p", "-r", "--", "a", "b", "/tmp/"}));
  EXPECT_THAT(ssh.copy_from(master, "/var/log/syslog", "out/master/").argv,
              ElementsAreArray({"cp", "-p", "--", "/var/log/syslog", "out/master/"}));
}

TEST_F(FakeSshTest, NoArgvEverCarriesStrictHostKeyCheckingNo) {
  for (bool first_contact : {false, true}) {
    for (bool multiplex : {false, true}) {
      SshOptions o = test_options();
      o.first_contact = first_contact;
      o.multiplex = multiplex;
      Ssh ssh(o);
      for (const auto& spec : {ssh.run(kNode, "true"), ssh.copy_to(kNode, {"a"}, "b"), ssh.copy_from(kNode, "a", "b")}) {
        auto argv = recorded(spec);
        ASSERT_FALSE(argv.empty());
        std::string joined;
        for (auto arg : argv) {
          std::transform(arg.begin(), arg.end(), arg.begin(), [](unsigned char c) { return std::tolower(c); });
          joined += arg + " ";
        }
        EXPECT_EQ(joined.find("stricthostkeychecking=no"), std::string::npos) << joined;
        EXPECT_EQ(joined.find("stricthostkeychecking no"), std::string::npos) << joined;
        EXPECT_EQ(joined.find("stricthostkeychecking=off"), std::string::npos) << joined;
      }
    }
  }
}

/// What the real ssh makes of our argv, without connecting (ssh -G prints its settings).
std::map<std::string, std::string> resolved(const sys::ProcessSpec& spec) {
  std::vector<std::string> argv = spec.argv;
  argv.insert(argv.begin() + 1, "-G");
  auto r = sys::run({.argv = argv, .env = {{"HOME", "/home/linaro"}}});
  EXPECT_TRUE(r.ok() && r->exit_code == 0) << (r.ok() ? r->err : r.error().message());
  std::map<std::string, std::string> settings;
  std::istringstream lines(r.ok() ? r->out : "");
  for (std::string key, value; lines >> key && std::getline(lines >> std::ws, value);) settings[key] = value;
  return settings;
}

TEST(RealSsh, TakesEveryOptionAsMeant) {
  SshOptions o = test_options();
  o.config_file = "/dev/null";  // the user's own ~/.ssh/config must not change what we check
  auto key = resolved(Ssh(o).run(kNode, "true"));
  EXPECT_EQ(key["batchmode"], "yes");
  EXPECT_EQ(key["stricthostkeychecking"], "true");
  EXPECT_EQ(key["controlmaster"], "auto");
  EXPECT_EQ(key["controlpersist"], "600");
  EXPECT_EQ(key["serveraliveinterval"], "5");
  EXPECT_EQ(key["connecttimeout"], "10");
  // ssh appends 17 characters while it makes the socket; a Unix socket path has 108 bytes.
  EXPECT_THAT(key["controlpath"], ::testing::StartsWith("/home/linaro/.beowulf/ssh/"));
  EXPECT_LT(key["controlpath"].size() + 17, 108u);

  o.first_contact = true;
  o.multiplex = false;
  o.known_hosts = "/tmp/known hosts";
  auto first = resolved(Ssh(o).run(kNode, "true"));
  EXPECT_EQ(first["batchmode"], "no");
  EXPECT_EQ(first["stricthostkeychecking"], "accept-new");
  EXPECT_EQ(first["numberofpasswordprompts"], "1");
  EXPECT_EQ(first["userknownhostsfile"], "/tmp/known hosts");
  EXPECT_EQ(first["controlmaster"], "false");
  EXPECT_EQ(first.count("controlpath"), 0u);  // ControlPath=none: no socket at all

  o.pinned = true;
  auto pinned = resolved(Ssh(o).run(kNode, "true"));
  EXPECT_EQ(pinned["batchmode"], "no");
  EXPECT_EQ(pinned["stricthostkeychecking"], "true");  // a key not in the file is never trusted
  EXPECT_EQ(pinned["userknownhostsfile"], "/tmp/known hosts");
  EXPECT_EQ(pinned["globalknownhostsfile"], "/dev/null");
  EXPECT_EQ(pinned["updatehostkeys"], "false");
}

TEST(ShellQuote, LeavesSafeWordsBareAndQuotesTheRest) {
  EXPECT_EQ(shell_quote("hostname"), "hostname");
  EXPECT_EQ(shell_quote("/home/linaro/cpi"), "/home/linaro/cpi");
  EXPECT_EQ(shell_quote(""), "''");
  EXPECT_EQ(shell_quote("a b"), "'a b'");
  EXPECT_EQ(shell_quote("it's"), "'it'\\''s'");
  EXPECT_EQ(shell_quote("$HOME"), "'$HOME'");
  EXPECT_EQ(shell_quote("~"), "'~'");
  EXPECT_EQ(shell_join({"echo", "a b", "*"}), "echo 'a b' '*'");
}

TEST_F(FakeSshTest, NastyArgumentsReachTheRemoteCommandUnchanged) {
  std::vector<std::string> nasty = {"",          "a b",     "it's",       "\"double\"", "$HOME",     "`id`",
                                    "$(id)",     "*",       "~",          "a;b",        "a|b&&c",    "\\",
                                    "line\nbreak", "'",     "''",         "-n",         "tab\there", "!x",
                                    "{a,b}",     "#hash",   "é ü 😀"};
  std::vector<std::string> words = {"printf", "[%s]"};
  words.insert(words.end(), nasty.begin(), nasty.end());
  std::string out;
  recorded(Ssh(test_options()).run(kNode, shell_join(words)), &out);
  std::string expected;
  for (const auto& word : nasty) expected += "[" + word + "]";
  EXPECT_EQ(out, expected);
}

TEST(ControlDir, LivesInBeowulfsOwnFolder) {
  sys::ScopedEnv home("HOME", "/home/linaro");
  {
    sys::ScopedEnv beowulf("BEOWULF_HOME", "/srv/beowulf");
    EXPECT_EQ(default_control_dir(), "/srv/beowulf/ssh");
  }
  sys::ScopedEnv beowulf("BEOWULF_HOME", std::nullopt);
  EXPECT_EQ(default_control_dir(), "/home/linaro/.beowulf/ssh");
  sys::ScopedEnv no_home("HOME", std::nullopt);  // a service's environment: the password database says
  EXPECT_EQ(default_control_dir(), std::string(getpwuid(getuid())->pw_dir) + "/.beowulf/ssh");
}

TEST(ControlDir, IsMadePrivate) {
  sys::TempDir tmp("ssh_test");
  std::filesystem::path root = tmp.path();
  std::string dir = (root / ".beowulf/ssh").string();
  ASSERT_TRUE(ensure_control_dir(dir).ok());
  struct stat st {};
  ASSERT_EQ(stat(dir.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);
  std::ofstream(root / "file") << "x";
  auto not_dir = ensure_control_dir((root / "file").string());
  ASSERT_FALSE(not_dir.ok());
  EXPECT_EQ(not_dir.error().message(), "make " + (root / "file").string() + ": Not a directory");
}

TEST(ControlDir, DefaultsUnderHome) {
  std::string old = std::getenv("HOME");
  setenv("HOME", "/home/linaro", 1);
  EXPECT_EQ(default_control_dir(), "/home/linaro/.beowulf/ssh");
  setenv("HOME", old.c_str(), 1);
}

}  // namespace
}  // namespace beowulf::remote
