#include "sys/interrupt.h"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <csignal>

namespace beowulf::sys {
namespace {

int pipe_fds[2] = {-1, -1};
volatile std::sig_atomic_t caught = 0;
struct sigaction old_int {}, old_term {};

void on_signal(int) {
  caught = 1;
  char byte = 1;
  [[maybe_unused]] auto n = ::write(pipe_fds[1], &byte, 1);  // a full pipe is readable already
}

}  // namespace

Interrupt::Interrupt() {
  caught = 0;
  if (::pipe2(pipe_fds, O_CLOEXEC | O_NONBLOCK) != 0) pipe_fds[0] = pipe_fds[1] = -1;
  struct sigaction action {};
  action.sa_handler = on_signal;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, &old_int);
  sigaction(SIGTERM, &action, &old_term);
}

Interrupt::~Interrupt() {
  sigaction(SIGINT, &old_int, nullptr);
  sigaction(SIGTERM, &old_term, nullptr);
  for (int& fd : pipe_fds) {
    if (fd >= 0) ::close(fd);
    fd = -1;
  }
}

int Interrupt::fd() const { return pipe_fds[0]; }

bool Interrupt::happened() const { return caught != 0; }

}  // namespace beowulf::sys
