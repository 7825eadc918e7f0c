#pragma once
// BatchJob: a program submitted to Slurm as a batch job and followed while it runs, as
// `sbatch --wait` and a `tail -f` of its output would, but looking every 100 ms (sbatch
// --wait looks after 2, 10, 42 s). `beowulf run --slurm` and slurm up's cpi proof use it.
// The Slurm client programs (sbatch, squeue, scontrol, scancel) are found on PATH.

#include <chrono>
#include <functional>
#include <string>
#include <cstdint>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.h"

namespace beowulf::slurm {

struct BatchRequest {
  std::vector<std::string> command;  ///< what the job runs: "mpiexec.mpich", PROGRAM, ARGS...
  std::string name = "beowulf-run";  ///< -J
  int tasks = 0;                     ///< --ntasks; 0: Slurm's default
  int nodes = 0;                     ///< -N; 0: Slurm's choice
  bool one_task_per_node = false;    ///< --ntasks-per-node=1
  std::string nodelist;              ///< --nodelist (the node-set grammar is Slurm's hostlist's)
  std::string exclude;               ///< --exclude
  std::vector<std::pair<std::string, std::string>> env;  ///< given to the job on top of ours
  std::string output;                ///< -o: the file for the job's stdout and stderr
  std::string workdir;               ///< --chdir; empty: ours
  int minutes = 0;                   ///< -t; 0: the partition's limit
};

/// The sbatch command line for `request`: --parsable, the job's command as `--wrap "exec ..."`
/// with every word quoted for the shell.
std::vector<std::string> sbatch_argv(const BatchRequest& request);

/// Submits `request`; returns the job's id. Fails with sbatch's own message.
Result<std::string> submit(const BatchRequest& request);

/// How a job ended, as `scontrol show job -o` says.
struct JobEnd {
  std::string state;  ///< "COMPLETED", "FAILED", "CANCELLED", "TIMEOUT", ...
  int exit_code = 0;  ///< the script's exit status; 128+N when signal N ended it
};

/// Reads JobState and ExitCode=STATUS:SIGNAL from one `scontrol show job -o` line.
/// Fails when either is missing.
Result<JobEnd> parse_job_end(std::string_view scontrol_line);

/// Gets what is new in the job's output file: returns false to stop following.
using OnOutput = std::function<bool(std::string_view text)>;
/// The job's output file from byte `offset` on (empty while there is none yet).
using ReadOutput = std::function<std::string(std::uint64_t offset)>;

/// Reads a file of this machine: the output of a job whose batch host is this machine.
ReadOutput local_output(const std::string& path);

/// Follows job `job`: every 100 ms reads its output (`read`) from where it stopped and
/// passes what is new to `on_output`, until the job has left the queue (then reads the
/// rest), or `on_output` returns false. Returns how it ended (state "RUNNING" when
/// on_output stopped it first). Fails after `limit`, or when `cancel_fd` became readable
/// (Ctrl-C: the caller cancels the job).
Result<JobEnd> follow_job(const std::string& job, const ReadOutput& read, const OnOutput& on_output,
                          std::chrono::seconds limit, int cancel_fd = -1);

/// The node the job's script runs on (squeue's BatchHost); empty while it is pending.
std::string batch_host(const std::string& job);

/// Cancels job `job` (scancel); best effort.
void cancel_job(const std::string& job);

}  // namespace beowulf::slurm
