#include "cli/nested_beowulf.h"

#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <array>
#include <optional>

namespace beowulf::cli {
namespace {

using Clock = std::chrono::steady_clock;

/// Appends what `fd` has to `to`; closes our watch of it (fd = -1) at its end.
void drain(pollfd& watched, std::string& to) {
  if (watched.fd < 0 || watched.revents == 0) return;
  char buffer[4096];
  ssize_t n = ::read(watched.fd, buffer, sizeof buffer);
  if (n > 0) to.append(buffer, static_cast<std::size_t>(n));
  else if (n == 0 || errno != EINTR) watched.fd = -1;
}

}  // namespace

Result<NestedRun> run_nested(const sys::ProcessSpec& spec, int cancel_fd, std::chrono::milliseconds limit,
                             std::chrono::milliseconds grace) {
  auto child = sys::Process::start(spec);
  if (!child) return child.error();
  // A password line: far less than a pipe holds, so this write cannot block.
  if (!spec.input.empty()) (void)!::write(child->stdin_fd(), spec.input.data(), spec.input.size());
  child->close_stdin();

  NestedRun run;
  auto deadline = Clock::now() + limit;
  std::optional<Clock::time_point> termed;  // when SIGTERM went
  std::array<pollfd, 3> fds{{{child->stdout_fd(), POLLIN, 0}, {child->stderr_fd(), POLLIN, 0}, {cancel_fd, POLLIN, 0}}};
  while (fds[0].fd >= 0 || fds[1].fd >= 0) {
    (void)::poll(fds.data(), fds.size(), 100);
    drain(fds[0], run.result.out);
    drain(fds[1], run.result.err);
    bool cancel = fds[2].fd >= 0 && (fds[2].revents & POLLIN) != 0;
    if (!termed && (cancel || Clock::now() > deadline)) {
      run.cancelled = true;
      run.result.timed_out = !cancel;
      child->kill_group(SIGTERM);
      termed = Clock::now();
      fds[2].fd = -1;  // the signal's byte is the caller's to see
    }
    if (termed && Clock::now() > *termed + grace) child->kill_group(SIGKILL);
  }
  bool timed_out = run.result.timed_out;
  child->wait(run.result);
  run.result.timed_out = timed_out;
  return run;
}

}  // namespace beowulf::cli
