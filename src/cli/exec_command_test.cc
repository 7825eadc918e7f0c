// Runs the built `beowulf exec` on a cluster of one: the master, this machine, where
// commands run with `sh -c` (no ssh, no network): prefixes, -b, failures, Ctrl-C.

#include <gtest/gtest.h>
#include <signal.h>
#include <stdlib.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "sys/process.h"
#include "sys/temp_dir.h"

namespace beowulf {
namespace {

namespace fs = std::filesystem;

class ExecCommand : public ::testing::Test {
 protected:
  void SetUp() override {
    std::ofstream(home_ / "cluster.toml") << "schema = 1\n[[node]]\nname = \"here\"\naddress = \"198.18.0.10\"\n"
                                             "user = \"nobody\"\nrole = \"master\"\n";
  }

  sys::ProcessSpec spec(std::vector<std::string> args) {
    args.insert(args.begin(), BEOWULF_BINARY_DIR "/src/cli/beowulf");
    return {.argv = args, .env = {{"BEOWULF_HOME", home_.string()}, {"NO_COLOR", "1"}},
            .timeout = std::chrono::seconds(30)};
  }
  sys::ProcessResult beowulf(std::vector<std::string> args) {
    auto r = sys::run(spec(std::move(args)));
    EXPECT_TRUE(r.ok()) << r.error().message();
    return r.ok() ? *r : sys::ProcessResult{};
  }

  sys::TempDir tmp_{"beowulf-exec-test"};
  fs::path home_ = tmp_.path();
};

TEST_F(ExecCommand, PrefixesEachLineWithItsNode) {
  auto r = beowulf({"exec", "--", "echo one; echo two >&2"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out, "here: one\n");
  EXPECT_EQ(r.err, "here: two\n");
}

TEST_F(ExecCommand, GathersOutputUnderItsNodeSet) {
  auto r = beowulf({"exec", "-b", "--", "echo one"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out, "---------------\nhere (1)\n---------------\none\n");
}

TEST_F(ExecCommand, MakesTerminalControlsInNodeOutputInert) {
  // An escape that would retitle the window, a bell, a carriage return, DEL; tabs stay.
  std::string script = "printf 'a\\033]0;owned\\007b\\tc\\rd\\177\\n'; printf 'e\\033[2Jf\\n' >&2";
  auto r = beowulf({"exec", "--", script});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out, "here: a?]0;owned?b\tc?d?\n");
  EXPECT_EQ(r.err, "here: e?[2Jf\n");
  auto gathered = beowulf({"exec", "-b", "--", script});
  EXPECT_EQ(gathered.out, "---------------\nhere (1)\n---------------\na?]0;owned?b\tc?d?\n");
}

TEST_F(ExecCommand, GatheredOutputIsCutAtOneMebibyteAndSaysSo) {
  // 2 MiB of output; -b keeps 1 MiB of it.
  auto r = beowulf({"exec", "-b", "--", "head -c 2097152 /dev/zero | tr '\\0' a | fold -w 1023"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out.size(), std::string("---------------\nhere (1)\n---------------\n").size() + 1024 * 1024 +
                              std::string("[beowulf: output cut: at most 1 MiB is kept per node]\n").size());
  EXPECT_TRUE(r.out.ends_with("aaa\n[beowulf: output cut: at most 1 MiB is kept per node]\n"));
}

TEST_F(ExecCommand, ReportsAFailureAtTheEndWithItsStatus) {
  auto r = beowulf({"exec", "--", "exit 4"});
  EXPECT_EQ(r.exit_code, 4);
  EXPECT_EQ(r.err, "here: exited with 4\n");
}

TEST_F(ExecCommand, ReportsATimeout) {
  // -t and -f have the long names copy and status have too (cli/member_options.h).
  for (auto options : {std::vector<std::string>{"-t", "0.2"}, {"--fanout", "2", "--timeout", "0.2"}}) {
    options.insert(options.begin(), "exec");
    options.insert(options.end(), {"--", "sleep 20"});
    auto r = beowulf(options);
    EXPECT_EQ(r.exit_code, 124);
    EXPECT_EQ(r.err, "here: timed out after 0.2 s\n");
  }
}

TEST_F(ExecCommand, RefusesANegativeTimeout) {
  auto r = beowulf({"exec", "-t", "-1", "--", "true"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err, "beowulf: error: -t: the timeout cannot be negative\n");
}

TEST_F(ExecCommand, RefusesGatherWithJson) {
  auto r = beowulf({"exec", "-b", "--json", "--", "true"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "beowulf: error: -b and --json do not go together\nhint: choose one of them\n");
}

TEST_F(ExecCommand, CtrlCStopsEverythingAndExits130) {
  std::string marker = (home_ / "started").string();
  auto child = sys::Process::start(spec({"exec", "--", "touch " + marker + "; exec sleep 67.25"}));
  ASSERT_TRUE(child.ok()) << child.error().message();
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!fs::exists(marker) && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  ASSERT_TRUE(fs::exists(marker));
  ::kill(child->pid(), SIGINT);
  sys::ProcessResult result;
  child->wait(result);
  EXPECT_EQ(result.exit_code, 130);
  // The node's `sleep 67.25` went with it: pgrep finds no such process.
  auto left = sys::run({.argv = {"pgrep", "-f", "^sleep 67.25$"}});
  ASSERT_TRUE(left.ok());
  EXPECT_EQ(left->out, "");
}

}  // namespace
}  // namespace beowulf
