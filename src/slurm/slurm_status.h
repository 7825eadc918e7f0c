#pragma once
// SlurmStatus: what Slurm says about the cluster, asked on the master: each node's state
// and the reason it is not usable, and the queue.

#include <string>
#include <vector>

#include "core/result.h"

namespace beowulf::slurm {

struct NodeState {
  std::string name, state, reason;  ///< "worker002", "down*", "Not responding"; reason empty when none
};

struct QueuedJob {
  std::string id, user, name, state, time, nodes;  ///< as squeue prints them; nodes: the list, or the reason it waits
};

struct SlurmStatus {
  std::vector<NodeState> nodes;
  std::vector<QueuedJob> queue;
};

/// Reads `sinfo -h -N -o '%N|%t|%E'` lines.
std::vector<NodeState> parse_node_states(const std::string& text);

/// Reads `squeue -h -o '%i|%u|%j|%T|%M|%R'` lines.
std::vector<QueuedJob> parse_queue(const std::string& text);

/// Runs sinfo and squeue here. Fails when the controller does not answer, with sinfo's message.
Result<SlurmStatus> slurm_status();

/// The names folded as a node set: "linaro-nano,worker[001-003]".
std::string folded_names(const std::vector<std::string>& names);

}  // namespace beowulf::slurm
