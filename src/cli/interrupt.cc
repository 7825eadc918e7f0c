#include "cli/interrupt.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <unistd.h>

namespace beowulf::cli {
namespace {

int g_pipe[2] = {-1, -1};
// Ctrl-C, `kill` and a closed terminal all stop the command the same way: its children
// are ended through the cancel fd, never left running on a card or a node.
constexpr int kSignals[] = {SIGINT, SIGTERM, SIGHUP};
struct sigaction g_old[3]{};

void on_interrupt(int) { (void)!write(g_pipe[1], "x", 1); }

}  // namespace

InterruptGuard::InterruptGuard() {
  if (pipe2(g_pipe, O_CLOEXEC | O_NONBLOCK) != 0) return;
  struct sigaction action{};
  action.sa_handler = on_interrupt;
  for (int i = 0; i < 3; ++i) sigaction(kSignals[i], &action, &g_old[i]);
}

InterruptGuard::~InterruptGuard() {
  for (int i = 0; i < 3; ++i) sigaction(kSignals[i], &g_old[i], nullptr);
  for (int& fd : g_pipe) {
    if (fd >= 0) close(fd);
    fd = -1;
  }
}

int InterruptGuard::fd() const { return g_pipe[0]; }

bool InterruptGuard::interrupted() const {
  pollfd p{g_pipe[0], POLLIN, 0};
  return g_pipe[0] >= 0 && poll(&p, 1, 0) == 1;
}

}  // namespace beowulf::cli
