#include "sys/password_input.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <pty.h>
#include <signal.h>
#include <termios.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>

namespace beowulf::sys {
namespace {

class PasswordFile : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/beowulf-password-XXXXXX";
    int fd = mkstemp(pattern);
    close(fd);
    path_ = pattern;
  }
  void TearDown() override { unlink(path_.c_str()); }
  std::string path_;
};

TEST_F(PasswordFile, ReadsTheFirstLineOfAPrivateFile) {
  std::ofstream(path_) << "linaro\nignored\n";
  chmod(path_.c_str(), 0600);
  EXPECT_EQ(read_password_file(path_).value(), "linaro");
  chmod(path_.c_str(), 0400);
  EXPECT_EQ(read_password_file(path_).value(), "linaro");
}

TEST_F(PasswordFile, RefusesAFileOthersMayReadWithItsMode) {
  std::ofstream(path_) << "linaro\n";
  chmod(path_.c_str(), 0644);
  auto r = read_password_file(path_);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().what, "password file " + path_ + " may be read by others (mode 0644): refused");
  EXPECT_EQ(r.error().hint, "chmod 600 " + path_);
  EXPECT_EQ(r.error().kind, ErrorKind::bad_input);
  chmod(path_.c_str(), 0640);
  EXPECT_FALSE(read_password_file(path_).ok());
}

TEST_F(PasswordFile, RefusesAnEmptyOrMissingFile) {
  chmod(path_.c_str(), 0600);
  EXPECT_EQ(read_password_file(path_).error().what, "the password from " + path_ + " is empty");
  EXPECT_EQ(read_password_file("/nonexistent/pw").error().what,
            "password file /nonexistent/pw: No such file or directory");
}

TEST(PasswordStdin, ReadsOneLineAndLeavesTheRest) {
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  ASSERT_EQ(write(fds[1], "s3cret\r\nnext\n", 13), 13);
  close(fds[1]);
  EXPECT_EQ(read_password_from_fd(fds[0]).value(), "s3cret");
  char rest[8] = {};
  EXPECT_EQ(read(fds[0], rest, sizeof rest), 5);
  EXPECT_STREQ(rest, "next\n");
  close(fds[0]);
}

TEST(PasswordStdin, AProcessHoldingAPasswordDumpsNoCore) {
  // In a child, so that this test process stays as it was.
  pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    int fds[2];
    if (pipe(fds) != 0 || write(fds[1], "s3cret\n", 7) != 7) _exit(2);
    close(fds[1]);
    prctl(PR_SET_DUMPABLE, 1);  // as a process starts (an earlier test here may have read a password)
    auto password = read_password_from_fd(fds[0]);
    _exit(password.ok() && prctl(PR_GET_DUMPABLE) == 0 ? 0 : 1);
  }
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0) << "1: still dumpable after the password was read";
}

TEST(PasswordStdin, WipeZeroesEveryByteAMovedFromStringKept) {
  std::string secret = "s3cret";
  std::string moved = std::move(secret);
  wipe(secret);
  EXPECT_EQ(secret, "");
  EXPECT_EQ(std::string(secret.data(), secret.data() + secret.capacity()), std::string(secret.capacity(), '\0'));
  wipe(moved);
  EXPECT_EQ(std::string(moved.data(), moved.data() + moved.capacity()), std::string(moved.capacity(), '\0'));
}

// add holds the password until its last step (Slurm's follow-up), whichever way it ends.
TEST(PasswordStdin, WipeWhenDoneKeepsThePasswordUntilTheScopeEnds) {
  std::string password = "s3cret";
  {
    WipeWhenDone wipe_password(password);
    EXPECT_EQ(password, "s3cret");
  }
  EXPECT_EQ(password, "");
}

/// Whether the terminal behind `pty` echoes, once it says `echoes` (within 10 s).
bool becomes(int pty, bool echoes) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  termios t{};
  while (std::chrono::steady_clock::now() < deadline)
    if (tcgetattr(pty, &t) == 0 && ((t.c_lflag & ECHO) != 0) == echoes) return true;
  return false;
}

/// Whether process `pid` is stopped (state T in /proc/PID/stat), once it is (within 10 s).
bool stopped(pid_t pid) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (std::chrono::steady_clock::now() < deadline) {
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
    auto after_name = text.rfind(") ");
    if (after_name != std::string::npos && text.substr(after_name + 2, 1) == "T") return true;
  }
  return false;
}

TEST(PasswordTerminal, CtrlZGivesTheShellItsEchoBackAndFgTakesItAgain) {
  int pty = -1;
  pid_t session = forkpty(&pty, nullptr, nullptr, nullptr);
  ASSERT_GE(session, 0);
  if (session == 0) {
    // As a shell runs it: the prompt in a foreground process group of its own, whose
    // parent is in the session (else the kernel drops Ctrl-Z).
    pid_t reader = fork();
    if (reader == 0) {
      signal(SIGTTOU, SIG_IGN);
      setpgid(0, 0);
      tcsetpgrp(STDIN_FILENO, getpgrp());
      auto password = read_password_from_terminal("Password: ");
      _exit(password.ok() && *password == "s3cret" ? 0 : 1);
    }
    int status = 0;
    while (waitpid(reader, &status, 0) < 0 && errno == EINTR) {
    }
    _exit(WIFEXITED(status) ? WEXITSTATUS(status) : 2);
  }
  ASSERT_TRUE(becomes(pty, false)) << "the prompt never turned echo off";
  pid_t group = tcgetpgrp(pty);
  ASSERT_GT(group, 0);
  ASSERT_NE(group, session);
  kill(-group, SIGTSTP);
  EXPECT_TRUE(becomes(pty, true)) << "stopped at the prompt with echo still off";
  // Echo comes back just before the reader stops itself: a SIGCONT sent in between would
  // be spent before the stop, and the reader would then wait for one forever.
  ASSERT_TRUE(stopped(group)) << "the prompt gave echo back but did not stop";
  kill(-group, SIGCONT);
  EXPECT_TRUE(becomes(pty, false)) << "continued with echo on";
  ASSERT_EQ(write(pty, "s3cret\n", 7), 7);
  int status = 0;
  ASSERT_EQ(waitpid(session, &status, 0), session);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
  close(pty);
}

}  // namespace
}  // namespace beowulf::sys
