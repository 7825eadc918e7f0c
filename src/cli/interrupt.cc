#include "cli/interrupt.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <unistd.h>

namespace beowulf::cli {
namespace {

int g_pipe[2] = {-1, -1};
struct sigaction g_old{};

void on_interrupt(int) { (void)!write(g_pipe[1], "x", 1); }

}  // namespace

InterruptGuard::InterruptGuard() {
  if (pipe2(g_pipe, O_CLOEXEC | O_NONBLOCK) != 0) return;
  struct sigaction action{};
  action.sa_handler = on_interrupt;
  sigaction(SIGINT, &action, &g_old);
}

InterruptGuard::~InterruptGuard() {
  sigaction(SIGINT, &g_old, nullptr);
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
