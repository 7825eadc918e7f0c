#pragma once
// Process: spawn a program with pipes on its stdin, stdout and stderr, the seam through
// which beowulf drives ssh, ip, mpiexec and friends. No shell is involved: argv is
// passed as it is. Each child leads its own process group, so a timeout or Ctrl-C
// ends the child and everything it started, and nothing else.

#include <sys/types.h>

#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "core/result.h"

namespace beowulf::sys {

struct ProcessSpec {
  std::vector<std::string> argv;            ///< argv[0] is looked up on PATH
  std::map<std::string, std::string> env;   ///< set (or, with an empty value, kept) on top of ours
  std::vector<std::string> unset_env;       ///< removed from the child's environment
  std::string cwd;                          ///< empty: ours
  std::string input;                        ///< written to the child's stdin, which is then closed
  /// >= 0: this descriptor of ours is the child's stdin (`input` is then unused), as a
  /// shell passes its own stdin on; -1: a pipe fed from `input`.
  int stdin_from = -1;
  /// With stdin_from a terminal: the child's group becomes the terminal's foreground
  /// group (it may read it, and Ctrl-C goes to it), as a shell does for a job it runs.
  /// The caller takes the terminal back when the child ends.
  bool take_terminal = false;
  std::chrono::milliseconds timeout{0};     ///< 0: none; else the group is killed when it passes
};

struct ProcessResult {
  int exit_code = -1;      ///< the exit status, or -1 when killed by a signal
  int signal = 0;          ///< the signal that ended it, 0 when it exited
  bool timed_out = false;  ///< killed because spec.timeout passed
  std::string out;
  std::string err;
  bool ok() const { return exit_code == 0; }
};

/// A started child. Owns its pipe ends; the destructor kills and reaps a child
/// that was not waited for, so no zombie or stray process outlives it.
class Process {
 public:
  /// Starts spec.argv. Fails when the program cannot be found or executed.
  static Result<Process> start(const ProcessSpec& spec);

  Process(Process&& other) noexcept;
  Process& operator=(Process&& other) noexcept;
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;
  ~Process();

  pid_t pid() const { return pid_; }
  int stdin_fd() const { return in_; }    ///< -1 once closed
  int stdout_fd() const { return out_; }
  int stderr_fd() const { return err_; }
  void close_stdin();
  void close_stdout();
  void close_stderr();

  /// Sends `signal` to the child's whole process group.
  void kill_group(int signal) const;

  /// Waits for the child to end; fills exit_code/signal of `result`.
  void wait(ProcessResult& result);

  /// Like wait(), but returns false at once, filling nothing, while the child runs.
  bool try_wait(ProcessResult& result);

 private:
  Process(pid_t pid, int in, int out, int err) : pid_(pid), in_(in), out_(out), err_(err) {}
  void close_all();
  void reaped(int status, ProcessResult& result);

  pid_t pid_ = -1;
  int in_ = -1, out_ = -1, err_ = -1;
};

/// Runs spec to completion, collecting stdout and stderr. Fails only when the program
/// cannot be started; a non-zero exit or a timeout is in the ProcessResult.
Result<ProcessResult> run(const ProcessSpec& spec);

/// The absolute path of `program` found on PATH, or empty.
std::string find_on_path(const std::string& program);

}  // namespace beowulf::sys
