#include "cli/foreground_launch.h"

#include <fcntl.h>
#include <fmt/core.h>
#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>

#include "cli/report.h"
#include "sys/process.h"

namespace beowulf::cli {
namespace {

using Clock = std::chrono::steady_clock;

void write_all(int fd, const char* data, std::size_t size) {
  while (size > 0) {
    ssize_t n = ::write(fd, data, size);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;  // our output is gone (a closed pipe): nothing more to do with it
    data += n;
    size -= static_cast<std::size_t>(n);
  }
}

/// Copies what is waiting on `from` to `to`; false at the end of `from`.
bool pass_on(int from, int to) {
  char buffer[16384];
  ssize_t n = ::read(from, buffer, sizeof buffer);
  if (n < 0 && (errno == EINTR || errno == EAGAIN)) return true;
  if (n <= 0) return false;
  write_all(to, buffer, static_cast<std::size_t>(n));
  return true;
}

/// Our stdin may be read: not a terminal, or one whose foreground we are (a job put in
/// the background would be stopped by SIGTTIN if it read it).
bool may_read_stdin() { return ::fcntl(0, F_GETFD) != -1 && (!::isatty(0) || ::tcgetpgrp(0) == ::getpgrp()); }

/// The signals that came since the last call (the guard writes one byte per signal).
int signals_in(int interrupt_fd) {
  char bytes[16];
  ssize_t n = ::read(interrupt_fd, bytes, sizeof bytes);
  return n > 0 ? static_cast<int>(n) : 0;
}

}  // namespace

int run_in_foreground(const std::vector<std::string>& argv, int interrupt_fd, std::chrono::milliseconds grace) {
  auto child = sys::Process::start({.argv = argv});
  if (!child) {
    report(child.error());
    return 127;
  }
  bool reading = may_read_stdin();
  if (reading) ::fcntl(child->stdin_fd(), F_SETFL, O_NONBLOCK);
  else child->close_stdin();
  std::string pending;  // read from our stdin, not yet taken by mpiexec
  int interrupts = 0;
  Clock::time_point kill_at{};
  sys::ProcessResult result;
  bool ended = false;

  while (child->stdout_fd() >= 0 || child->stderr_fd() >= 0) {
    std::vector<pollfd> fds = {{child->stdout_fd(), POLLIN, 0}, {child->stderr_fd(), POLLIN, 0},
                               {interrupt_fd, POLLIN, 0}, {-1, POLLIN, 0}, {-1, POLLOUT, 0}};
    if (reading && pending.empty()) fds[3].fd = 0;
    if (!pending.empty()) fds[4].fd = child->stdin_fd();
    int ready = ::poll(fds.data(), fds.size(), ended ? 0 : 200);
    if (ready < 0 && errno != EINTR) break;
    if (fds[0].revents != 0 && !pass_on(fds[0].fd, 1)) child->close_stdout();
    if (fds[1].revents != 0 && !pass_on(fds[1].fd, 2)) child->close_stderr();
    if (fds[2].revents != 0) {
      int came = signals_in(interrupt_fd);
      // The first goes to mpiexec alone: each launcher's own Ctrl-C, which ends the ranks
      // on every node; a second, or no end within the grace time: everything it started.
      if (interrupts == 0 && came > 0) ::kill(child->pid(), SIGINT), kill_at = Clock::now() + grace;
      if (interrupts + came > 1) child->kill_group(SIGKILL);
      interrupts += came;
    }
    if (interrupts > 0 && Clock::now() >= kill_at) child->kill_group(SIGKILL);
    if (fds[3].revents != 0) {
      char buffer[16384];
      ssize_t n = ::read(0, buffer, sizeof buffer);
      if (n > 0) pending.assign(buffer, static_cast<std::size_t>(n));
      else if (n == 0 || (errno != EINTR && errno != EAGAIN)) reading = false, child->close_stdin();
    }
    if (fds[4].revents != 0) {
      ssize_t n = ::write(child->stdin_fd(), pending.data(), pending.size());
      if (n > 0) pending.erase(0, static_cast<std::size_t>(n));
      else if (errno != EINTR && errno != EAGAIN) pending.clear(), reading = false, child->close_stdin();
    }
    if (ready == 0 && ended) break;  // it ended and nothing more came: something it left holds the pipes
    if (!ended) ended = child->try_wait(result);
  }
  if (!ended) child->wait(result);
  if (interrupts > 0) return exit_interrupted;
  return result.signal != 0 ? 128 + result.signal : result.exit_code;
}

}  // namespace beowulf::cli
