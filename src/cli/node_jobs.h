#pragma once
// NodeJobs: how `exec`, `copy` and `copy --gather` run one job per member and show it, as
// pdsh and clush do: each line as it comes, prefixed "worker002: " (or gathered by
// identical output with -b, or one JSON object per node with --json), then one line per
// node that failed, and the worst node's status as the exit status. Ctrl-C stops every
// job (their process groups are killed) and exits 130.

#include <chrono>
#include <cstddef>
#include <vector>

#include "cluster/node_command.h"
#include "remote/fan_out.h"
#include "remote/ssh.h"

namespace beowulf::cli {

enum class OutputMode { lines, gathered, json };

struct NodeJobsOptions {
  std::size_t fanout = 64;
  std::chrono::milliseconds timeout{0};  ///< per node; 0: none
  OutputMode mode = OutputMode::lines;
  remote::Ran transport = remote::Ran::command;  ///< or copy: scp's stderr is read, not shown
};

/// Runs `jobs` (each on its target) and prints as described above; returns the exit
/// status: 0 when every node succeeded, 130 when interrupted, else the worst node's.
int run_node_jobs(const std::vector<remote::Job>& jobs, const NodeJobsOptions& options);

}  // namespace beowulf::cli
