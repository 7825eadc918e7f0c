#include "sys/process.h"

#include <gtest/gtest.h>

#include <signal.h>
#include <unistd.h>

namespace beowulf::sys {
namespace {

using namespace std::chrono_literals;

TEST(Process, CollectsStdoutStderrAndExitStatus) {
  auto r = run({.argv = {"sh", "-c", "echo out; echo err >&2; exit 3"}});
  ASSERT_TRUE(r.ok()) << r.error().message();
  EXPECT_EQ(r->out, "out\n");
  EXPECT_EQ(r->err, "err\n");
  EXPECT_EQ(r->exit_code, 3);
  EXPECT_FALSE(r->timed_out);
}

TEST(Process, FeedsInputOnStdin) {
  std::string big(300000, 'x');  // larger than a pipe buffer
  auto r = run({.argv = {"wc", "-c"}, .input = big});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->out, "300000\n");
}

TEST(Process, ReadsAStdinOfOursUntilItsEnd) {
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  ASSERT_EQ(::write(fds[1], "100000\n0\n", 9), 9);
  ::close(fds[1]);  // the writer is gone: the child reads both lines, then EOF
  auto r = run({.argv = {"sh", "-c", "while read n; do echo got $n; done; echo eof"}, .stdin_from = fds[0]});
  ::close(fds[0]);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->out, "got 100000\ngot 0\neof\n");
}

TEST(Process, PassesArgumentsWithoutAShell) {
  auto r = run({.argv = {"printf", "%s|", "a b", "$HOME", "*"}});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->out, "a b|$HOME|*|");
}

TEST(Process, SetsAndUnsetsEnvironment) {
  setenv("BEOWULF_TEST_GONE", "1", 1);
  auto r = run({.argv = {"sh", "-c", "echo \"$A-${BEOWULF_TEST_GONE:-unset}\""},
                .env = {{"A", "set"}},
                .unset_env = {"BEOWULF_TEST_GONE"}});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->out, "set-unset\n");
}

TEST(Process, TimeoutKillsTheWholeGroup) {
  auto start = std::chrono::steady_clock::now();
  // The grandchild `sleep` holds stdout open: only killing the group ends it.
  auto r = run({.argv = {"sh", "-c", "sleep 30 & sleep 30"}, .timeout = 200ms});
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->timed_out);
  EXPECT_EQ(r->signal, SIGKILL);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 10s);
}

TEST(Process, MissingProgramIsAnError) {
  auto r = run({.argv = {"beowulf-no-such-program"}});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message(), "beowulf-no-such-program: command not found");
}

TEST(Process, BadWorkingDirectoryIsAnError) {
  auto r = run({.argv = {"true"}, .cwd = "/nonexistent-dir"});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message(), "start true: No such file or directory");
}

}  // namespace
}  // namespace beowulf::sys
