// remove, time up, users and slurm up and down send no password to any node's sudo: the
// master and the members have password-less sudo since `add` (only the nodes being added
// get the boards' password). Runs the built beowulf on a cluster whose master is this
// machine (its scripts run with `sh -c`, no ssh) with a stand-in `sudo` first on PATH that
// records its arguments and everything it reads, and refuses like a sudo that wants a
// password.

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <pwd.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "sys/atomic_file.h"
#include "sys/process.h"
#include "sys/temp_dir.h"

namespace beowulf {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr const char* kPassword = "s3cret-board-password";

class NoSudoPassword : public ::testing::Test {
 protected:
  void SetUp() override {
    fs::create_directories(dir_ / "home/.beowulf");
    fs::create_directories(dir_ / "bin");
    std::ofstream(inventory()) << "schema = 1\n"
                                  "[[node]]\nname = \"here\"\naddress = \"198.18.0.10\"\nuser = \"nobody\"\n"
                                  "role = \"master\"\n";
    // A sudo that asks for a password: it records what it was given and refuses.
    std::string sudo = "#!/bin/sh\n{ echo \"sudo $*\"; cat; } >> '" + log() +
                       "'\necho 'sudo: a password is required' >&2\nexit 1\n";
    std::ofstream(dir_ / "bin/sudo") << sudo;
    fs::permissions(dir_ / "bin/sudo", fs::perms::owner_all);
  }

  fs::path inventory() const { return dir_ / "home/.beowulf/cluster.toml"; }
  /// A worker to remove: remove (without --revoke) never contacts it, so no packet is
  /// sent to its address. Commands that ask every member run with the master alone.
  void add_worker() const {
    std::ofstream(inventory(), std::ios::app)
        << "[[node]]\nname = \"worker001\"\naddress = \"198.18.0.11\"\nuser = \"nobody\"\nrole = \"worker\"\n";
  }
  /// The master alone, named as this machine is (slurmd -C's name must match the
  /// inventory's), its user the one running the test (whose home exists, as Slurm needs).
  std::string name_master_as_this_machine() const {
    char host[256] = {};
    gethostname(host, sizeof host - 1);
    std::ofstream(inventory(), std::ios::trunc)
        << "schema = 1\n[[node]]\nname = \"" << host << "\"\naddress = \"198.18.0.10\"\nuser = \"" << user()
        << "\"\nrole = \"master\"\n";
    return host;
  }
  static std::string user() { return getpwuid(getuid())->pw_name; }
  std::string log() const { return (dir_ / "sudo.log").string(); }
  std::string sudo_log() const {
    auto text = sys::read_file(log());
    return text.ok() ? *text : "";
  }

  sys::ProcessResult beowulf(std::vector<std::string> args, std::string input = {}) {
    args.insert(args.begin(), BEOWULF_BINARY_DIR "/src/cli/beowulf");
    std::string path = (dir_ / "bin").string() + ":/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin";
    std::string home = (dir_ / "home").string();
    auto r = sys::run({.argv = args,
                       .env = {{"PATH", path}, {"HOME", home}, {"BEOWULF_HOME", home + "/.beowulf"}, {"NO_COLOR", "1"}},
                       .input = std::move(input),
                       .timeout = std::chrono::seconds(60)});
    EXPECT_TRUE(r.ok()) << r.error().message();
    return r.ok() ? *r : sys::ProcessResult{};
  }

  sys::TempDir tmp_{"beowulf-sudo-test"};
  fs::path dir_ = tmp_.path();
};

TEST_F(NoSudoPassword, RemoveSendsNoneAndSaysThePasswordIsNoLongerNeeded) {
  add_worker();
  auto r = beowulf({"remove", "worker001", "--password-stdin"}, std::string(kPassword) + "\n");
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_THAT(sudo_log(), HasSubstr("sudo -n sh -c "));
  EXPECT_THAT(sudo_log(), Not(HasSubstr(kPassword)));
  EXPECT_THAT(sudo_log(), Not(HasSubstr("sudo -S")));
  EXPECT_EQ(r.err,
            "remove: --password-stdin is no longer needed and was ignored: no node is sent the password ('beowulf "
            "add' gives the members password-less sudo)\n"
            "beowulf: error: here (198.18.0.10): update files: sudo asked for a password\n"
            "hint: the master needs root for its /etc/hosts: run 'sudo -v' on the master, then remove again\n");
}

TEST_F(NoSudoPassword, RemoveAsksForNoneWhereSudoNeedsNone) {
  add_worker();
  std::ofstream(dir_ / "bin/sudo", std::ios::trunc) << "#!/bin/sh\necho \"sudo $*\" >> '" + log() + "'\nexit 0\n";
  auto r = beowulf({"remove", "worker001"});  // no terminal: a prompt would fail
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(r.out, "removed worker001 (198.18.0.11)\n");
  EXPECT_EQ(r.err, "");
  EXPECT_THAT(sudo_log(), HasSubstr("sudo -n sh -c "));
}

TEST_F(NoSudoPassword, TimeUpSendsNoneAndNamesTheNodeWhoseSudoAsks) {
  auto r = beowulf({"time", "up", "--password-stdin"}, std::string(kPassword) + "\n");
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_THAT(sudo_log(), HasSubstr("sudo -n sh -c "));
  EXPECT_THAT(sudo_log(), Not(HasSubstr(kPassword)));
  EXPECT_THAT(r.err, HasSubstr("time up: --password-stdin is no longer needed and was ignored"));
  EXPECT_THAT(r.err, HasSubstr("beowulf: error: here (198.18.0.10): chrony: sudo asked for a password\n"
                               "hint: beowulf sends the boards' password only to the nodes it adds; give nobody "
                               "password-less sudo there, as root: echo 'nobody ALL=(ALL) NOPASSWD: ALL' > "
                               "/etc/sudoers.d/zz_beowulf-nopasswd\n"));
}

TEST_F(NoSudoPassword, UsersAddSendsOnlyTheAccountsPasswordAndNoSudoPassword) {
  std::string file = (dir_ / "sudo-password").string();
  ASSERT_TRUE(sys::write_file_atomically(file, std::string(kPassword) + "\n", 0600).ok());
  auto r = beowulf({"users", "add", "beowulfzz01", "--password-stdin", "--sudo-password-file", file},
                   "pupil-password\n");
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_THAT(sudo_log(), HasSubstr("sudo -n sh -c "));
  EXPECT_THAT(sudo_log(), HasSubstr("pupil-password\n"));  // for chpasswd, through sudo -n
  EXPECT_THAT(sudo_log(), Not(HasSubstr(kPassword)));
  EXPECT_THAT(r.err, HasSubstr("users add: --sudo-password-file is no longer needed and was ignored"));
  EXPECT_THAT(r.err, HasSubstr("beowulf: error: here (198.18.0.10): users: sudo asked for a password\n"));
}

TEST_F(NoSudoPassword, UsersRemoveAsksForNoneAndSendsNone) {
  auto r = beowulf({"users", "remove", "beowulfzz01"});  // no terminal: a prompt would fail
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_THAT(sudo_log(), HasSubstr("sudo -n sh -c "));
  EXPECT_THAT(sudo_log(), Not(HasSubstr("sudo -S")));
  EXPECT_THAT(r.err, HasSubstr("beowulf: error: here (198.18.0.10): users: sudo asked for a password\n"));
}

constexpr const char* kIgnored =
    "--password-stdin is no longer needed and was ignored: no node is sent the password ('beowulf add' gives the "
    "members password-less sudo)\n";
std::string no_password_hint(const std::string& user) {
  return "hint: beowulf sends the boards' password only to the nodes it adds; give " + user +
         " password-less sudo there, as root: echo '" + user +
         " ALL=(ALL) NOPASSWD: ALL' > /etc/sudoers.d/zz_beowulf-nopasswd\n";
}

TEST_F(NoSudoPassword, SlurmUpSendsNoneAndNamesTheNodeWhoseSudoAsks) {
  std::string master = name_master_as_this_machine();  // probed here with sh -c: no packet leaves
  auto r = beowulf({"slurm", "up", "--password-stdin"}, std::string(kPassword) + "\n");
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_THAT(sudo_log(), HasSubstr("sudo -n sh -c "));
  EXPECT_THAT(sudo_log(), Not(HasSubstr(kPassword)));
  EXPECT_THAT(sudo_log(), Not(HasSubstr("sudo -S")));
  EXPECT_EQ(r.err, "slurm up: " + std::string(kIgnored) + "slurm: probing " + master + "...\n" +
                       "slurm: configuring the controller " + master + "...\n" + "beowulf: error: " + master +
                       " (198.18.0.10): set up Slurm: sudo asked for a password\n" + no_password_hint(user()));
}

TEST_F(NoSudoPassword, SlurmDownAsksForNoneAndSendsNone) {
  auto r = beowulf({"slurm", "down"});  // no terminal: a prompt would fail
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_THAT(sudo_log(), HasSubstr("sudo -n sh -c "));
  EXPECT_THAT(sudo_log(), Not(HasSubstr("sudo -S")));
  EXPECT_EQ(r.err, "beowulf: error: here (198.18.0.10): stop Slurm: sudo asked for a password\n" +
                       no_password_hint("nobody"));
}

}  // namespace
}  // namespace beowulf
