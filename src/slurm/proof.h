#pragma once
// Proof: what shows that Slurm works, run on the master as the user: every node idle in
// sinfo, `srun -N<all> hostname` answered by every node, a batch job of beowulf-cpi
// printing the pi line. Each runs the Slurm client programs found on PATH.

#include <chrono>
#include <string>
#include <vector>

#include "core/result.h"

namespace beowulf::slurm {

/// Each node's state as `sinfo -h -N -o '%N %T'` prints it, in that order: {"worker001", "idle"}.
using NodeStates = std::vector<std::pair<std::string, std::string>>;

/// Reads sinfo's "NAME STATE" lines.
NodeStates parse_sinfo(const std::string& text);

/// Waits (at most `limit`) until every one of `nodes` is idle (or allocated, or mixed) in
/// sinfo. Fails naming those that are not, with their state and sinfo's reason.
Status wait_until_idle(const std::vector<std::string>& nodes, std::chrono::seconds limit);

/// Runs `srun -N<count> hostname`; returns the names it printed, sorted. Fails when srun fails.
Result<std::vector<std::string>> srun_hostnames(std::size_t count);

/// Submits `mpiexec.mpich CPI` as a batch job on `count` nodes, one task each, and waits
/// (looking every 100 ms) until its output has the pi line; returns that line. `output_dir` holds the
/// job's output file (made when missing). Fails when the job fails or prints no pi line.
Result<std::string> batch_cpi(std::size_t count, const std::string& cpi, const std::string& output_dir);

}  // namespace beowulf::slurm
