#include "sys/password_input.h"

#include <fcntl.h>
#include <sys/prctl.h>
#include <signal.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <fmt/core.h>

namespace beowulf::sys {
namespace {

/// The terminal and its settings (with echo, and without while the prompt waits), for
/// the signal handlers.
int g_tty = -1;
termios g_saved{};
termios g_quiet{};

void restore_and_reraise(int signal) {
  tcsetattr(g_tty, TCSAFLUSH, &g_saved);
  (void)!write(g_tty, "\n", 1);
  ::signal(signal, SIG_DFL);
  raise(signal);
}

/// Ctrl-Z at the prompt: echo comes back for the shell while the process is stopped, and
/// goes again when it continues (fg).
void stop_with_echo_on(int signal) {
  int saved_errno = errno;
  tcsetattr(g_tty, TCSAFLUSH, &g_saved);
  struct sigaction stop{}, handler{};
  stop.sa_handler = SIG_DFL;
  sigaction(signal, &stop, &handler);
  sigset_t just_this;
  sigemptyset(&just_this);
  sigaddset(&just_this, signal);
  sigprocmask(SIG_UNBLOCK, &just_this, nullptr);
  raise(signal);  // stops here until SIGCONT
  sigprocmask(SIG_BLOCK, &just_this, nullptr);
  sigaction(signal, &handler, nullptr);
  tcsetattr(g_tty, TCSAFLUSH, &g_quiet);
  errno = saved_errno;
}

/// Reads up to the first newline (or the end) from `fd`; the newline is dropped.
Result<std::string> read_line(int fd, std::string_view source) {
  // From here on the process holds a password: no core dump may carry it, no debugger of
  // the same user may read it.
  prctl(PR_SET_DUMPABLE, 0);
  std::string line;
  line.reserve(256);  // no reallocation leaves a piece of it behind in freed memory
  char c = 0;
  for (;;) {
    ssize_t n = read(fd, &c, 1);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Error{fmt::format("read the password from {}: {}", source, std::strerror(errno))};
    if (n == 0 || c == '\n') break;
    line += c;
  }
  if (!line.empty() && line.back() == '\r') line.pop_back();
  if (line.empty()) return bad_input(fmt::format("the password from {} is empty", source));
  return line;
}

}  // namespace

Result<std::string> read_password_from_terminal(std::string_view prompt) {
  int tty = open("/dev/tty", O_RDWR | O_CLOEXEC);
  if (tty < 0 || tcgetattr(tty, &g_saved) != 0) {
    if (tty >= 0) close(tty);
    return bad_input("no terminal to ask the password on",
                     "give it with --password-file FILE (mode 0600) or --password-stdin");
  }
  g_tty = tty;
  g_quiet = g_saved;
  g_quiet.c_lflag &= ~tcflag_t(ECHO);
  g_quiet.c_lflag |= ECHONL;
  // Echo comes back whichever signal ends (or stops) the prompt.
  constexpr int kSignals[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGTSTP};
  struct sigaction on_signal{}, on_stop{}, old[5]{};
  on_signal.sa_handler = restore_and_reraise;
  on_stop.sa_handler = stop_with_echo_on;
  for (int i = 0; i < 5; ++i) sigaction(kSignals[i], kSignals[i] == SIGTSTP ? &on_stop : &on_signal, &old[i]);
  (void)!write(tty, prompt.data(), prompt.size());
  tcsetattr(tty, TCSAFLUSH, &g_quiet);
  auto line = read_line(tty, "the terminal");
  tcsetattr(tty, TCSAFLUSH, &g_saved);
  for (int i = 0; i < 5; ++i) sigaction(kSignals[i], &old[i], nullptr);
  g_tty = -1;
  close(tty);
  return line;
}

Result<std::string> read_password_file(const std::string& path) {
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return bad_input(fmt::format("password file {}: {}", path, std::strerror(errno)));
  struct stat st{};
  fstat(fd, &st);
  if ((st.st_mode & 077) != 0) {
    close(fd);
    return bad_input(
        fmt::format("password file {} may be read by others (mode {:04o}): refused", path, st.st_mode & 07777),
        fmt::format("chmod 600 {}", path));
  }
  auto line = read_line(fd, path);
  close(fd);
  return line;
}

Result<std::string> read_password_from_fd(int fd) { return read_line(fd, "standard input"); }

void wipe(std::string& secret) {
  explicit_bzero(secret.data(), secret.capacity());
  secret.clear();
}

}  // namespace beowulf::sys
