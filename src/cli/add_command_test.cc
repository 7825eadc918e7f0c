// `beowulf add`, `remove` and `discover` refuse bad input before anything changes, before
// the password is asked and before any packet is sent. Runs the built binary on an
// inventory in a temporary BEOWULF_HOME.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "sys/temp_dir.h"
#include <sys/stat.h>
#include <unistd.h>

#include <signal.h>

#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "sys/process.h"

namespace beowulf {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

constexpr const char* kCluster = R"(schema = 1
subnet = "198.18.0.0/24"

[[node]]
name = "master"
address = "198.18.0.10"
user = "linaro"
slots = 1
role = "master"

[[node]]
name = "worker001"
address = "198.18.0.11"
user = "linaro"
slots = 1
)";

class BootstrapCommands : public ::testing::Test {
 protected:
  sys::TempDir temp_;  // removed with everything in it after the test
  void SetUp() override {
    ASSERT_FALSE(temp_.path().empty());
    dir_ = temp_.path();
    std::ofstream(dir_ + "/cluster.toml") << kCluster;
  }

  sys::ProcessResult beowulf(std::vector<std::string> args) {
    args.insert(args.begin(), BEOWULF_BINARY_DIR "/src/cli/beowulf");
    auto r = sys::run({.argv = args, .env = {{"BEOWULF_HOME", dir_}}, .timeout = std::chrono::seconds(30)});
    EXPECT_TRUE(r.ok());
    return r.ok() ? *r : sys::ProcessResult{};
  }

  void expect_refused(const std::vector<std::string>& args, const std::string& message) {
    auto r = beowulf(args);
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_THAT(r.err, HasSubstr("beowulf: error: " + message)) << r.err;
    EXPECT_EQ(r.out, "");
  }

  std::string dir_;
};

TEST_F(BootstrapCommands, AddRefusesBadAddressesBeforeAskingThePassword) {
  expect_refused({"add", "198.18.0.10"}, "198.18.0.10 is the master (master): it is in the cluster already\n");
  expect_refused({"add", "198.18.1.12"}, "198.18.1.12 is not in the cluster's subnet 198.18.0.0/24\n");
  expect_refused({"add", "198.18.0.255"}, "198.18.0.255");
  expect_refused({"add", "198.18.0.[11-13"}, "nodeset");
  expect_refused({"add", "198.18.0.12", "--names", "worker"}, "--names 'worker' has no number in it\n");
  expect_refused({"add", "198.18.0.12", "--user=-oProxyCommand=x"}, "--user '-oProxyCommand=x' is not a user name\n");
  expect_refused({"add", "198.18.0.12", "--user", "a b"}, "--user 'a b' is not a user name\n");
  expect_refused({"add", "198.18.0.12", "--new-host-key", "SHA256:short"},
                 "--new-host-key 'SHA256:short' is not a host key fingerprint\n");
  expect_refused({"add", "--planned"}, "no planned node in the inventory\n");
  expect_refused({"add", "--planned", "198.18.0.12"}, "give either addresses or --planned, not both\n");
}

TEST_F(BootstrapCommands, AddRefusesAPasswordFileOthersMayRead) {
  std::string file = dir_ + "/password";
  std::ofstream(file) << "linaro\n";
  chmod(file.c_str(), 0644);
  expect_refused({"add", "198.18.0.12", "--password-file", file},
                 "password file " + file + " may be read by others (mode 0644): refused\nhint: chmod 600 " + file);
}

TEST_F(BootstrapCommands, AddWithoutATerminalSaysHowToGiveThePassword) {
  auto r = sys::run({.argv = {"setsid", "--wait", BEOWULF_BINARY_DIR "/src/cli/beowulf", "add", "198.18.0.12"},
                     .env = {{"BEOWULF_HOME", dir_}}, .timeout = std::chrono::seconds(30)});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->exit_code, 2);
  EXPECT_EQ(r->err,
            "beowulf: error: no terminal to ask the password on\n"
            "hint: give it with --password-file FILE (mode 0600) or --password-stdin\n");
}

// A stand-in for ssh-keyscan that hangs (a board that never answers) and says its pid.
constexpr const char* kHangingKeyscan = "#!/bin/sh\necho $$ > \"$(dirname \"$0\")/keyscan.pid\"\nexec sleep 600\n";

TEST_F(BootstrapCommands, SigtermAndSighupEndEveryChildOfAdd) {
  // SIGTERM and SIGHUP killed beowulf at once and left its children running.
  std::string home = dir_ + "/home", bin = dir_ + "/bin";
  fs::create_directories(home + "/.ssh");
  fs::create_directories(bin);
  std::ofstream(home + "/.ssh/id_ed25519.pub")
      << "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIPVFPPcNtRfixPIXmtIfiyE8N0jG5vOvLkfe8BqxhIF2 linaro@master\n";
  std::ofstream(bin + "/ssh-keyscan") << kHangingKeyscan;
  chmod((bin + "/ssh-keyscan").c_str(), 0755);
  for (int signal : {SIGTERM, SIGHUP}) {
    fs::remove(bin + "/keyscan.pid");
    std::string path = bin + ":" + std::getenv("PATH");
    auto add = sys::Process::start({.argv = {BEOWULF_BINARY_DIR "/src/cli/beowulf", "add", "198.18.0.12", "--password-stdin"},
                                    .env = {{"BEOWULF_HOME", dir_}, {"HOME", home}, {"PATH", path}}});
    ASSERT_TRUE(add.ok());
    ASSERT_EQ(write(add->stdin_fd(), "linaro\n", 7), 7);
    add->close_stdin();
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    std::string pid_text;
    while (pid_text.empty()) {  // until the child runs
      ASSERT_LT(std::chrono::steady_clock::now(), deadline) << "add never started ssh-keyscan";
      std::ifstream(bin + "/keyscan.pid") >> pid_text;
    }
    pid_t keyscan = std::stoi(pid_text);
    ASSERT_EQ(::kill(add->pid(), signal), 0);
    sys::ProcessResult ended;
    add->wait(ended);
    std::string err;
    char buffer[4096];
    for (ssize_t n; (n = read(add->stderr_fd(), buffer, sizeof buffer)) > 0;) err.append(buffer, static_cast<std::size_t>(n));
    EXPECT_EQ(ended.exit_code, 130) << strsignal(signal) << ": " << err;
    EXPECT_THAT(err, HasSubstr("beowulf: interrupted: run the same 'beowulf add' again to finish\n"));
    EXPECT_NE(::kill(keyscan, 0), 0) << strsignal(signal) << ": ssh-keyscan " << keyscan << " still runs";
    if (::kill(keyscan, 0) == 0) ::kill(keyscan, SIGKILL);
  }
}

TEST_F(BootstrapCommands, RemoveRefusesTheMasterAndStrangers) {
  expect_refused({"remove", "master"}, "master (198.18.0.10) is the master: it cannot be removed\n");
  expect_refused({"remove", "worker01"}, "'worker01' is not a member of the cluster\nhint: did you mean 'worker001'?\n");
}

TEST_F(BootstrapCommands, DiscoverRefusesSubnetsThatAreNotOursOrTooLarge) {
  expect_refused({"discover", "10.0.0.0/8"}, "10.0.0.0/8 is too large to probe (16777216 addresses)\n");
  auto r = beowulf({"discover", "198.18.1.0/24"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("beowulf: error: 198.18.1.0/24 is not within this machine's own subnet"));
}

}  // namespace
}  // namespace beowulf
