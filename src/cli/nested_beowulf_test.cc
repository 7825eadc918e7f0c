// run_nested with stand-ins for a nested beowulf: a child that, like beowulf on SIGTERM,
// ends its own child (which sits in a process group of its own, as FanOut's jobs do), and
// one that ignores SIGTERM.

#include "cli/nested_beowulf.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

namespace beowulf::cli {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

/// Whether `pid` has ended (gone, or a zombie its new parent has yet to reap), waiting up
/// to 5 s for it.
bool ended(pid_t pid) {
  for (auto deadline = Clock::now() + std::chrono::seconds(5); Clock::now() < deadline;) {
    std::ifstream status("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (std::getline(status, line) && !line.starts_with("State:")) {
    }
    if (!status || line.find('Z') != std::string::npos) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

class RunNested : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "beowulf-nested-test-XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    ASSERT_EQ(pipe(cancel_), 0);
  }
  void TearDown() override {
    ::close(cancel_[0]);
    ::close(cancel_[1]);
    fs::remove_all(dir_);
  }
  /// The pid the stand-in wrote to `name`, once it is there (at most 10 s).
  pid_t pid_in(const std::string& name) {
    for (auto deadline = Clock::now() + std::chrono::seconds(10); Clock::now() < deadline;) {
      std::ifstream in(dir_ / name);
      pid_t pid = 0;
      if (in >> pid && pid > 0) return pid;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return 0;
  }
  /// Cancels once `name` holds the grandchild's pid, as a Ctrl-C does; returns that pid.
  pid_t cancel_when_started(const std::string& name) {
    pid_t pid = pid_in(name);
    EXPECT_EQ(::write(cancel_[1], "x", 1), 1);
    return pid;
  }

  fs::path dir_;
  int cancel_[2] = {-1, -1};
};

TEST_F(RunNested, ACancelSendsSigtermSoTheNestedCommandEndsItsOwnChildren) {
  std::string script = "read -r line; echo \"got $line\"; setsid sleep 600 & echo $! > '" + (dir_ / "grandchild").string() +
                       "'; trap 'kill $!; exit 130' TERM; wait";
  pid_t grandchild = 0;
  std::thread canceller([&] { grandchild = cancel_when_started("grandchild"); });
  auto run = run_nested({.argv = {"sh", "-c", script}, .input = "s3cret\n"}, cancel_[0], std::chrono::seconds(60));
  canceller.join();
  ASSERT_TRUE(run.ok()) << run.error().what;
  EXPECT_TRUE(run->cancelled);
  EXPECT_FALSE(run->result.timed_out);
  EXPECT_EQ(run->result.exit_code, 130);
  EXPECT_EQ(run->result.out, "got s3cret\n");
  ASSERT_GT(grandchild, 0);
  EXPECT_TRUE(ended(grandchild)) << "the nested command's own child outlived it";
}

TEST_F(RunNested, ACommandThatIgnoresSigtermIsKilledAfterTheGrace) {
  std::string script = "trap '' TERM; echo $$ > '" + (dir_ / "child").string() + "'; while :; do sleep 0.05; done";
  std::thread canceller([&] { cancel_when_started("child"); });
  auto started = Clock::now();
  auto run = run_nested({.argv = {"sh", "-c", script}}, cancel_[0], std::chrono::seconds(60), std::chrono::milliseconds(300));
  canceller.join();
  ASSERT_TRUE(run.ok());
  EXPECT_TRUE(run->cancelled);
  EXPECT_EQ(run->result.signal, SIGKILL);
  EXPECT_LT(Clock::now() - started, std::chrono::seconds(10));
}

TEST_F(RunNested, PassingItsLimitEndsItAsATimeout) {
  auto run = run_nested({.argv = {"sleep", "600"}}, cancel_[0], std::chrono::milliseconds(200));
  ASSERT_TRUE(run.ok());
  EXPECT_TRUE(run->cancelled);
  EXPECT_TRUE(run->result.timed_out);
  EXPECT_EQ(run->result.signal, SIGTERM);
}

TEST_F(RunNested, AnOrdinaryEndGivesItsStatusAndOutput) {
  auto run = run_nested({.argv = {"sh", "-c", "echo out; echo err >&2; exit 3"}}, cancel_[0], std::chrono::seconds(60));
  ASSERT_TRUE(run.ok());
  EXPECT_FALSE(run->cancelled);
  EXPECT_EQ(run->result.exit_code, 3);
  EXPECT_EQ(run->result.out, "out\n");
  EXPECT_EQ(run->result.err, "err\n");
}

}  // namespace
}  // namespace beowulf::cli
