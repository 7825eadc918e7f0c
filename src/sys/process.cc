#include "sys/process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <sstream>

#include <fmt/core.h>

extern char** environ;

namespace beowulf::sys {
namespace {

using Clock = std::chrono::steady_clock;

/// The child's environment: ours, less spec.unset_env, with spec.env on top.
std::vector<std::string> child_environment(const ProcessSpec& spec) {
  std::map<std::string, std::string> env;
  for (char** e = environ; *e != nullptr; ++e) {
    std::string entry(*e);
    auto eq = entry.find('=');
    if (eq != std::string::npos) env[entry.substr(0, eq)] = entry.substr(eq + 1);
  }
  for (const auto& name : spec.unset_env) env.erase(name);
  for (const auto& [name, value] : spec.env) env[name] = value;
  std::vector<std::string> out;
  for (const auto& [name, value] : env) out.push_back(name + "=" + value);
  return out;
}

std::vector<char*> pointers(std::vector<std::string>& strings) {
  std::vector<char*> out;
  for (auto& s : strings) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

void close_fd(int& fd) {
  if (fd >= 0) ::close(fd);
  fd = -1;
}

/// In the child, between fork and exec: only async-signal-safe calls.
[[noreturn]] void exec_child(const char* program, char** argv, char** envp, const ProcessSpec& spec, int in[2],
                             int out[2], int err[2], int report) {
  const char* cwd = spec.cwd.c_str();
  setpgid(0, 0);
  signal(SIGPIPE, SIG_DFL);
  signal(SIGINT, SIG_DFL);
  dup2(spec.stdin_from >= 0 ? spec.stdin_from : in[0], 0);
  if (spec.take_terminal && isatty(0)) {
    // A background group asking for the terminal is stopped by SIGTTOU unless it ignores it.
    signal(SIGTTOU, SIG_IGN);
    tcsetpgrp(0, getpid());
    signal(SIGTTOU, SIG_DFL);
  }
  dup2(out[1], 1);
  dup2(err[1], 2);
  if (*cwd != '\0' && chdir(cwd) != 0) {
    int e = errno;
    (void)!write(report, &e, sizeof e);
    _exit(127);
  }
  execve(program, argv, envp);
  int e = errno;
  (void)!write(report, &e, sizeof e);
  _exit(127);
}

}  // namespace

std::string find_on_path(const std::string& program) {
  if (program.find('/') != std::string::npos) return access(program.c_str(), X_OK) == 0 ? program : "";
  const char* path = std::getenv("PATH");
  std::stringstream dirs(path != nullptr ? path : "/usr/bin:/bin");
  std::string dir;
  while (std::getline(dirs, dir, ':')) {
    std::string candidate = (dir.empty() ? "." : dir) + "/" + program;
    struct stat st {};
    if (stat(candidate.c_str(), &st) == 0 && S_ISREG(st.st_mode) && access(candidate.c_str(), X_OK) == 0)
      return candidate;
  }
  return "";
}

Result<Process> Process::start(const ProcessSpec& spec) {
  if (spec.argv.empty()) return Error{"start a process: no program given", "", ""};
  // A child that exits before reading all its input must fail our write, not kill us.
  signal(SIGPIPE, SIG_IGN);
  std::string program = find_on_path(spec.argv[0]);
  if (program.empty()) return Error{fmt::format("{}: command not found", spec.argv[0]), "", ""};

  std::vector<std::string> args = spec.argv, env = child_environment(spec);
  std::vector<char*> argv = pointers(args), envp = pointers(env);

  int in[2], out[2], err[2], report[2];
  if (pipe2(in, O_CLOEXEC) != 0 || pipe2(out, O_CLOEXEC) != 0 || pipe2(err, O_CLOEXEC) != 0 ||
      pipe2(report, O_CLOEXEC) != 0)
    return Error{fmt::format("start {}: pipe: {}", spec.argv[0], std::strerror(errno)), "", ""};

  pid_t pid = fork();
  if (pid < 0) return Error{fmt::format("start {}: fork: {}", spec.argv[0], std::strerror(errno)), "", ""};
  if (pid == 0) exec_child(program.c_str(), argv.data(), envp.data(), spec, in, out, err, report[1]);

  setpgid(pid, pid);  // also in the parent, so a kill_group right away cannot miss
  ::close(in[0]);
  ::close(out[1]);
  ::close(err[1]);
  ::close(report[1]);
  Process child(pid, in[1], out[0], err[0]);

  int exec_errno = 0;
  ssize_t n = read(report[0], &exec_errno, sizeof exec_errno);
  ::close(report[0]);
  if (n == sizeof exec_errno) {
    ProcessResult ignored;
    child.wait(ignored);
    return Error{fmt::format("start {}: {}", spec.argv[0], std::strerror(exec_errno)), "", ""};
  }
  return child;
}

Process::Process(Process&& other) noexcept
    : pid_(std::exchange(other.pid_, -1)),
      in_(std::exchange(other.in_, -1)),
      out_(std::exchange(other.out_, -1)),
      err_(std::exchange(other.err_, -1)) {}

Process& Process::operator=(Process&& other) noexcept {
  if (this != &other) {
    this->~Process();
    new (this) Process(std::move(other));
  }
  return *this;
}

Process::~Process() {
  close_all();
  if (pid_ > 0) {
    kill_group(SIGKILL);
    waitpid(pid_, nullptr, 0);
  }
}

void Process::close_stdin() { close_fd(in_); }
void Process::close_stdout() { close_fd(out_); }
void Process::close_stderr() { close_fd(err_); }

void Process::close_all() {
  close_fd(in_);
  close_fd(out_);
  close_fd(err_);
}

void Process::kill_group(int signal) const {
  if (pid_ > 0) ::kill(-pid_, signal);
}

void Process::wait(ProcessResult& result) {
  int status = 0;
  while (waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
  }
  reaped(status, result);
}

bool Process::try_wait(ProcessResult& result) {
  int status = 0;
  pid_t r = waitpid(pid_, &status, WNOHANG);
  if (r == 0 || (r < 0 && errno == EINTR)) return false;
  reaped(status, result);
  return true;
}

void Process::reaped(int status, ProcessResult& result) {
  pid_ = -1;
  if (WIFEXITED(status)) {
    result.exit_code = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    result.exit_code = -1;
    result.signal = WTERMSIG(status);
  }
}

Result<ProcessResult> run(const ProcessSpec& spec) {
  auto started = Process::start(spec);
  if (!started) return started.error();
  Process& child = *started;
  ProcessResult result;
  std::size_t written = 0;
  if (spec.input.empty()) child.close_stdin();
  else fcntl(child.stdin_fd(), F_SETFL, O_NONBLOCK);
  std::optional<Clock::time_point> deadline;
  if (spec.timeout.count() > 0) deadline = Clock::now() + spec.timeout;

  while (child.stdout_fd() >= 0 || child.stderr_fd() >= 0) {
    pollfd fds[3] = {{child.stdout_fd(), POLLIN, 0}, {child.stderr_fd(), POLLIN, 0}, {child.stdin_fd(), POLLOUT, 0}};
    int wait_ms = -1;
    if (deadline) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(*deadline - Clock::now()).count();
      if (left <= 0) {
        result.timed_out = true;
        child.kill_group(SIGKILL);
        break;
      }
      wait_ms = static_cast<int>(left);
    }
    if (poll(fds, 3, wait_ms) < 0 && errno != EINTR) break;
    if (fds[2].revents != 0) {
      ssize_t n = write(child.stdin_fd(), spec.input.data() + written, spec.input.size() - written);
      if (n > 0) written += static_cast<std::size_t>(n);
      if (n < 0 || written == spec.input.size()) child.close_stdin();
    }
    std::string* sinks[2] = {&result.out, &result.err};
    for (int i = 0; i < 2; ++i) {
      if (fds[i].revents == 0) continue;
      char buffer[65536];
      ssize_t n = read(fds[i].fd, buffer, sizeof buffer);
      if (n > 0) sinks[i]->append(buffer, static_cast<std::size_t>(n));
      else if (n == 0 || errno != EINTR) i == 0 ? child.close_stdout() : child.close_stderr();
    }
  }
  child.wait(result);
  return result;
}

}  // namespace beowulf::sys
