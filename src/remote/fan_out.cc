#include "remote/fan_out.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <list>
#include <optional>

#include "remote/kept_output.h"

namespace beowulf::remote {
namespace {

using TimePoint = sys::Clock::TimePoint;
using std::chrono::milliseconds;

/// Without a pidfd (kernels before 5.3) an exit is noticed by looking this often.
constexpr milliseconds kExitCheckPeriod{20};

/// Cuts a byte stream into lines, whatever the pieces it arrives in.
class LineSplitter {
 public:
  template <typename Emit>
  void feed(std::string_view data, Emit&& emit) {
    partial_.append(data);
    std::size_t begin = 0;
    for (std::size_t nl; (nl = partial_.find('\n', begin)) != std::string::npos; begin = nl + 1)
      emit(std::string_view(partial_).substr(begin, nl - begin));
    partial_.erase(0, begin);
    while (partial_.size() >= FanOut::kMaxLine) {
      emit(std::string_view(partial_).substr(0, FanOut::kMaxLine));
      partial_.erase(0, FanOut::kMaxLine);
    }
  }

  /// The stream ended: a last line without a newline is still a line.
  template <typename Emit>
  void finish(Emit&& emit) {
    if (!partial_.empty()) emit(std::string_view(partial_));
    partial_.clear();
  }

 private:
  std::string partial_;
};

/// A child's exit can be waited for in poll() through a pidfd; -1 when the kernel has none.
int open_pidfd(pid_t pid) {
  long fd = syscall(SYS_pidfd_open, pid, 0);
  if (fd >= 0) fcntl(static_cast<int>(fd), F_SETFD, FD_CLOEXEC);
  return fd < 0 ? -1 : static_cast<int>(fd);
}

struct Running {
  std::size_t job;
  sys::Process process;
  int pidfd = -1;
  bool exit_seen = false;  ///< its pidfd fired: try_wait() will reap it
  std::size_t input_written = 0;
  TimePoint started;
  std::optional<TimePoint> deadline;
  LineSplitter out, err;

  Running(std::size_t job, sys::Process process) : job(job), process(std::move(process)) {}
  Running(const Running&) = delete;
  Running& operator=(const Running&) = delete;
  ~Running() {
    if (pidfd >= 0) ::close(pidfd);
  }
};

/// One run(): the poll loop over every running child's pipes.
class Loop {
 public:
  Loop(const FanOutOptions& options, const std::vector<Job>& jobs, const FanOut::Callback& on_event)
      : options_(options),
        clock_(options.clock != nullptr ? *options.clock : sys::steady_clock()),
        jobs_(jobs),
        on_event_(on_event),
        outcomes_(jobs.size()) {}

  std::vector<Outcome> run() {
    start_more();
    while (!running_.empty()) {
      if (poll_once()) {
        cancel_all();
        break;
      }
      check_deadlines();
      reap_exited();
      start_more();
    }
    return std::move(outcomes_);
  }

 private:
  struct Watched {
    Running* child;
    enum Role { input, out, err, exit, cancel } role;
  };

  void emit(EventKind kind, std::size_t job, std::string_view text = {}, int exit_code = -1, int signal = 0) {
    on_event_(Event{kind, job, jobs_[job].target.name, text, exit_code, signal});
  }

  void start_more() {
    std::size_t limit = std::max<std::size_t>(options_.fanout, 1);
    while (running_.size() < limit && next_ < jobs_.size()) start(next_++);
  }

  void start(std::size_t job) {
    const sys::ProcessSpec& spec = jobs_[job].spec;
    auto process = sys::Process::start(spec);
    if (!process) {
      outcomes_[job] = Outcome{EventKind::could_not_start, -1, 0, process.error().message(), milliseconds{0}};
      emit(EventKind::could_not_start, job, outcomes_[job].reason);
      return;
    }
    Running& child = running_.emplace_back(job, std::move(*process));
    child.pidfd = open_pidfd(child.process.pid());
    child.started = clock_.now();
    milliseconds timeout = spec.timeout.count() > 0 ? spec.timeout : options_.timeout;
    if (timeout.count() > 0) child.deadline = child.started + timeout;
    fcntl(child.process.stdout_fd(), F_SETFL, O_NONBLOCK);
    fcntl(child.process.stderr_fd(), F_SETFL, O_NONBLOCK);
    if (spec.input.empty()) child.process.close_stdin();
    else fcntl(child.process.stdin_fd(), F_SETFL, O_NONBLOCK);
    emit(EventKind::started, job);
  }

  /// Waits for something to happen; true when the cancel fd fired.
  bool poll_once() {
    std::vector<pollfd> fds;
    std::vector<Watched> watched;
    auto watch = [&](int fd, short events, Running* child, Watched::Role role) {
      if (fd < 0) return;
      fds.push_back({fd, events, 0});
      watched.push_back({child, role});
    };
    bool without_pidfd = false;
    for (Running& child : running_) {
      watch(child.process.stdin_fd(), POLLOUT, &child, Watched::input);
      watch(child.process.stdout_fd(), POLLIN, &child, Watched::out);
      watch(child.process.stderr_fd(), POLLIN, &child, Watched::err);
      watch(child.pidfd, POLLIN, &child, Watched::exit);
      without_pidfd = without_pidfd || child.pidfd < 0;
    }
    watch(options_.cancel_fd, POLLIN, nullptr, Watched::cancel);

    int ready = ::poll(fds.data(), fds.size(), wait_ms(without_pidfd));
    if (ready <= 0) return false;
    for (std::size_t i = 0; i < fds.size(); ++i) {
      if (fds[i].revents == 0) continue;
      Running* child = watched[i].child;
      switch (watched[i].role) {
        case Watched::cancel: return true;
        case Watched::input: write_input(*child); break;
        case Watched::out: read_some(*child, true); break;
        case Watched::err: read_some(*child, false); break;
        case Watched::exit: child->exit_seen = true; break;
      }
    }
    return false;
  }

  /// Until the nearest deadline (rounded up), or forever when there is none.
  int wait_ms(bool without_pidfd) const {
    std::optional<milliseconds> wait;
    if (without_pidfd) wait = kExitCheckPeriod;
    TimePoint now = clock_.now();
    for (const Running& child : running_) {
      if (!child.deadline) continue;
      auto left = std::max(std::chrono::ceil<milliseconds>(*child.deadline - now), milliseconds{0});
      wait = std::min(wait.value_or(left), left);
    }
    return wait ? static_cast<int>(std::min<long long>(wait->count(), 1 << 30)) : -1;
  }

  void write_input(Running& child) {
    const std::string& input = jobs_[child.job].spec.input;
    ssize_t n = ::write(child.process.stdin_fd(), input.data() + child.input_written,
                        input.size() - child.input_written);
    if (n > 0) child.input_written += static_cast<std::size_t>(n);
    if ((n < 0 && errno != EAGAIN && errno != EINTR) || child.input_written == input.size())
      child.process.close_stdin();
  }

  /// Reads once from stdout or stderr; false when there is nothing more to read now.
  bool read_some(Running& child, bool out) {
    int fd = out ? child.process.stdout_fd() : child.process.stderr_fd();
    if (fd < 0) return false;
    char buffer[65536];
    ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && (errno == EAGAIN || errno == EINTR)) return false;
    LineSplitter& lines = out ? child.out : child.err;
    auto deliver = [&](std::string_view line) {
      emit(out ? EventKind::out_line : EventKind::err_line, child.job, line);
    };
    if (n > 0) {
      lines.feed(std::string_view(buffer, static_cast<std::size_t>(n)), deliver);
      return true;
    }
    lines.finish(deliver);
    out ? child.process.close_stdout() : child.process.close_stderr();
    return false;
  }

  /// What an ended child wrote and we have not read yet, then its last partial lines.
  void drain(Running& child) {
    for (bool out : {true, false}) {
      for (int reads = 0; reads < 16 && read_some(child, out); ++reads) {
      }
      LineSplitter& lines = out ? child.out : child.err;
      lines.finish([&](std::string_view line) {
        emit(out ? EventKind::out_line : EventKind::err_line, child.job, line);
      });
    }
  }

  void end(std::list<Running>::iterator it, EventKind kind, const sys::ProcessResult& result) {
    Running& child = *it;
    auto elapsed = std::chrono::duration_cast<milliseconds>(clock_.now() - child.started);
    outcomes_[child.job] = Outcome{kind, result.exit_code, result.signal, "", elapsed};
    emit(kind, child.job, {}, result.exit_code, result.signal);
    running_.erase(it);
  }

  void reap_exited() {
    for (auto it = running_.begin(); it != running_.end();) {
      auto here = it++;
      sys::ProcessResult result;
      bool may_have_exited = here->exit_seen || here->pidfd < 0;
      if (!may_have_exited || !here->process.try_wait(result)) continue;
      drain(*here);
      end(here, EventKind::exited, result);
    }
  }

  void check_deadlines() {
    TimePoint now = clock_.now();
    for (auto it = running_.begin(); it != running_.end();) {
      auto here = it++;
      if (!here->deadline || now < *here->deadline) continue;
      here->process.kill_group(SIGKILL);
      sys::ProcessResult result;
      here->process.wait(result);
      drain(*here);
      end(here, EventKind::timed_out, result);
    }
  }

  void cancel_all() {
    for (Running& child : running_) child.process.kill_group(SIGKILL);
    while (!running_.empty()) {
      sys::ProcessResult result;
      running_.front().process.wait(result);
      end(running_.begin(), EventKind::cancelled, result);
    }
    for (; next_ < jobs_.size(); ++next_) {
      outcomes_[next_] = Outcome{EventKind::cancelled};
      emit(EventKind::cancelled, next_);
    }
  }

  const FanOutOptions& options_;
  const sys::Clock& clock_;
  const std::vector<Job>& jobs_;
  const FanOut::Callback& on_event_;
  std::vector<Outcome> outcomes_;
  std::list<Running> running_;
  std::size_t next_ = 0;
};

}  // namespace

FanOut::FanOut(FanOutOptions options) : options_(options) {}

namespace {

/// Each line of `text` (lines ended by '\n') as an event of `kind`.
void replay_lines(std::string_view text, EventKind kind, const std::function<void(EventKind, std::string_view)>& emit) {
  for (std::size_t at = 0; at < text.size();) {
    std::size_t end = std::min(text.find('\n', at), text.size());
    emit(kind, text.substr(at, end - at));
    at = end + 1;
  }
}

/// What a Transport answered, as the events processes would have given.
std::vector<Outcome> replayed(const std::vector<Job>& jobs, const std::vector<NodeRun>& runs,
                              const FanOut::Callback& on_event) {
  std::vector<Outcome> outcomes;
  for (std::size_t i = 0; i < jobs.size(); ++i) {
    const Outcome& o = runs[i].outcome;
    auto emit = [&](EventKind kind, std::string_view text) {
      on_event(Event{kind, i, jobs[i].target.name, text, o.exit_code, o.signal});
    };
    if (o.end != EventKind::could_not_start && o.end != EventKind::cancelled) emit(EventKind::started, "");
    replay_lines(runs[i].out, EventKind::out_line, emit);
    replay_lines(runs[i].err, EventKind::err_line, emit);
    emit(o.end, o.reason);
    outcomes.push_back(o);
  }
  return outcomes;
}

}  // namespace

std::vector<Outcome> FanOut::run(const std::vector<Job>& jobs, const Callback& on_event) const {
  if (options_.transport != nullptr) return replayed(jobs, options_.transport->answer(jobs), on_event);
  return Loop(options_, jobs, on_event).run();
}

std::vector<NodeRun> FanOut::collect(const std::vector<Job>& jobs) const {
  std::vector<NodeRun> runs(jobs.size());
  auto outcomes = run(jobs, [&](const Event& event) {
    if (event.kind == EventKind::out_line) keep_line(runs[event.job].out, event.text);
    if (event.kind == EventKind::err_line) keep_line(runs[event.job].err, event.text);
  });
  for (std::size_t i = 0; i < jobs.size(); ++i) {
    runs[i].node = jobs[i].target.name;
    runs[i].outcome = std::move(outcomes[i]);
  }
  return runs;
}

}  // namespace beowulf::remote
