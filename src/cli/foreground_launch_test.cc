#include "cli/foreground_launch.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

#include "sys/temp_dir.h"

namespace beowulf::cli {
namespace {

using Clock = std::chrono::steady_clock;

/// Runs `argv` with our stdin read from `input` and our stdout captured, as a user's
/// terminal or pipe would give them; returns the status and what came out. The files are
/// this call's own: CTest runs tests in parallel, and two of them sharing /tmp/stdin made
/// one read the other's empty input.
std::pair<int, std::string> launched(const std::vector<std::string>& argv, const std::string& input,
                                     int interrupt_fd = -1, std::chrono::milliseconds grace = std::chrono::seconds(10)) {
  sys::TempDir dir("beowulf-foreground-test");
  std::string in = dir.path() + "/stdin", out = dir.path() + "/stdout";
  std::ofstream(in) << input;
  int saved_in = ::dup(0), saved_out = ::dup(1);
  int in_fd = ::open(in.c_str(), O_RDONLY), out_fd = ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  ::dup2(in_fd, 0), ::dup2(out_fd, 1);
  ::close(in_fd), ::close(out_fd);
  int status = run_in_foreground(argv, interrupt_fd, grace);
  ::dup2(saved_in, 0), ::dup2(saved_out, 1);
  ::close(saved_in), ::close(saved_out);
  std::stringstream text;
  text << std::ifstream(out).rdbuf();
  return {status, text.str()};
}

TEST(ForegroundLaunch, PassesStdinThroughAndReturnsTheStatus) {
  auto [status, out] = launched({"sh", "-c", "read a; read b; printf 'got %s %s' \"$a\" \"$b\"; cat; exit 3"},
                                "100000\n0\nrest\n");
  EXPECT_EQ(status, 3);
  EXPECT_EQ(out, "got 100000 0rest\n");  // the prompt-like line without a newline comes as it is
}

TEST(ForegroundLaunch, ASignalEndingItIs128PlusItsNumber) {
  EXPECT_EQ(launched({"sh", "-c", "kill -TERM $$"}, "").first, 128 + 15);
}

// hydra exits 0 after it passed a Ctrl-C on to the ranks: the launch still says 130.
TEST(ForegroundLaunch, AnInterruptEndsItWith130EvenWhenItExitsZero) {
  int interrupt[2];
  ASSERT_EQ(::pipe2(interrupt, O_NONBLOCK), 0);
  ASSERT_EQ(::write(interrupt[1], "x", 1), 1);
  auto start = Clock::now();
  auto [status, out] = launched({"sh", "-c", "trap 'echo ended; exit 0' INT; while :; do sleep 0.05; done"}, "",
                                interrupt[0]);
  EXPECT_EQ(status, 130);
  EXPECT_LT(Clock::now() - start, std::chrono::seconds(5));
  ::close(interrupt[0]), ::close(interrupt[1]);
}

TEST(ForegroundLaunch, OneThatIgnoresTheInterruptIsKilledAfterTheGrace) {
  int interrupt[2];
  ASSERT_EQ(::pipe2(interrupt, O_NONBLOCK), 0);
  ASSERT_EQ(::write(interrupt[1], "x", 1), 1);
  auto start = Clock::now();
  auto [status, out] = launched({"sh", "-c", "trap '' INT; sleep 30"}, "", interrupt[0], std::chrono::milliseconds(300));
  EXPECT_EQ(status, 130);
  EXPECT_LT(Clock::now() - start, std::chrono::seconds(5));
  ::close(interrupt[0]), ::close(interrupt[1]);
}

}  // namespace
}  // namespace beowulf::cli
