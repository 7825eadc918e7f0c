#pragma once
// FanOut: the one scheduler that runs a job per node (the ssh or scp argv the transport
// built) with bounded concurrency, a per-node timeout and per-node events.
//
// Contract:
// - run() starts the jobs in the order given, never more than `fanout` at once, and
//   returns only when every job has ended: one Outcome per job, in the jobs' order.
// - Events reach `on_event` in the calling thread, from a single poll loop (no threads).
//   Per job they come in this order: `started`, then any `out_line`/`err_line`, then
//   exactly one terminal event: `exited`, `timed_out`, `could_not_start` or `cancelled`
//   (a job cancelled before it started gets `cancelled` alone, and `could_not_start`
//   comes without `started`). Events of different jobs interleave in no promised order.
// - Lines are split on '\n' whatever the reads; the newline is not part of the text; a
//   last line without a newline is delivered; a line longer than kMaxLine is delivered
//   in pieces of kMaxLine bytes.
// - A job passing its timeout has its whole process group killed (SIGKILL) and ends as
//   `timed_out`; the other jobs go on. A job that never ends cannot hang run() when it
//   has a timeout.
// - When `cancel_fd` becomes readable (a byte, or the write end closed: e.g. from a
//   SIGINT handler), every running job's process group is killed and every unfinished
//   job ends as `cancelled`; run() then returns at once.
// - A job's spec.input is written to its stdin, which is then closed (stdin is closed at
//   once when input is empty). spec.timeout, when set, overrides the FanOut's timeout.
// - A job ends when its process exits: what it wrote before exiting is delivered; output
//   of a background process it left behind after that is not.
// - run() itself does not fail: a job that cannot start is reported as `could_not_start`
//   with the reason, and the others run.

#include <chrono>
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "remote/target.h"
#include "sys/clock.h"
#include "sys/process.h"

namespace beowulf::remote {

/// One unit of work: the node it acts on (events carry its name, "worker002") and what
/// to run for it (the transport's argv: remote/ssh.h).
struct Job {
  Target target;
  sys::ProcessSpec spec;
};

enum class EventKind {
  started,          ///< the process is running
  out_line,         ///< text: a line it wrote on stdout
  err_line,         ///< text: a line it wrote on stderr
  exited,           ///< it ended by itself: exit_code, or signal
  timed_out,        ///< killed when its timeout passed
  could_not_start,  ///< text: why ("ssh: command not found")
  cancelled,        ///< killed (or never started) because of the cancel fd
};

struct Event {
  EventKind kind;
  std::size_t job = 0;     ///< index in the jobs given to run()
  std::string_view node;   ///< that job's target's name
  std::string_view text;   ///< the line, or the reason; valid only during the callback
  int exit_code = -1;      ///< exited: its status, or -1 when a signal ended it
  int signal = 0;          ///< exited: the signal that ended it, 0 when it exited
};

/// How a job ended.
struct Outcome {
  EventKind end = EventKind::cancelled;  ///< the terminal event's kind
  int exit_code = -1;                    ///< as in Event
  int signal = 0;
  std::string reason;                    ///< could_not_start: why
  std::chrono::milliseconds elapsed{0};  ///< from start to end, 0 when it never started
  bool ok() const { return end == EventKind::exited && exit_code == 0; }
};

/// A job's outcome with everything it wrote (see FanOut::collect).
struct NodeRun {
  std::string node;
  Outcome outcome;
  std::string out;  ///< stdout lines, each ended by '\n', at most kMaxKept bytes (kept_output.h)
  std::string err;  ///< stderr lines, each ended by '\n', at most kMaxKept bytes
};

/// What answers the jobs instead of processes: a unit test's fake (remote/fake_transport.h),
/// which starts no process and opens no socket. FanOut replays each NodeRun it answers as
/// the contract's events: `started` (unless it could not start or was cancelled), its out
/// lines, its err lines, then its end.
class Transport {
 public:
  virtual ~Transport() = default;
  virtual std::vector<NodeRun> answer(const std::vector<Job>& jobs) const = 0;
};

struct FanOutOptions {
  std::size_t fanout = 64;                    ///< at most this many jobs in flight (0 counts as 1)
  std::chrono::milliseconds timeout{0};       ///< per job, from its start; 0: none
  int cancel_fd = -1;                         ///< readable: cancel everything; -1: never
  const sys::Clock* clock = nullptr;          ///< nullptr: sys::steady_clock()
  const Transport* transport = nullptr;       ///< nullptr: run the jobs' processes
};

class FanOut {
 public:
  static constexpr std::size_t kMaxLine = 64 * 1024;
  using Callback = std::function<void(const Event&)>;

  explicit FanOut(FanOutOptions options = {});

  /// Runs every job (see the contract above); returns one Outcome per job, in order.
  std::vector<Outcome> run(const std::vector<Job>& jobs, const Callback& on_event) const;

  /// run() keeping each job's output instead of streaming it: one NodeRun per job, in order.
  std::vector<NodeRun> collect(const std::vector<Job>& jobs) const;

 private:
  FanOutOptions options_;
};

}  // namespace beowulf::remote
