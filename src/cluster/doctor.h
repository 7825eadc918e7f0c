#pragma once
// The doctor's runner: probes every node at once through FanOut (one script per node
// over the warm ssh sockets, each with a timeout), then has every node open a TCP
// connection to every other's test listener (a sample of 16 peers each past 32 nodes),
// then judges the checks in order (doctor_checks.h), skipping on a node what depends on
// a check that failed there. `--fix` applies the findings' safe fixes (apply_safe_fixes)
// and the CLI runs the doctor again.
#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "cluster/check.h"
#include "cluster/doctor_checks.h"
#include "core/inventory.h"
#include "remote/ssh.h"

namespace beowulf::cluster {

struct DoctorOptions {
  std::vector<Node> nodes;                 ///< the nodes to check (-w): members; the master first
  std::string machine_file;                ///< the file the machinefile check reads
  std::string program;                     ///< --program PATH; empty: no program check
  std::size_t fanout = 64;
  std::chrono::milliseconds timeout{8000};  ///< per node and round
  int cancel_fd = -1;
  /// Runs the cpi check when every check it depends on passed; empty: no cpi check.
  std::function<Finding()> cpi;
};

/// Every finding, in check order. Never fails: what could not be looked at is a finding.
std::vector<Finding> run_doctor(const Inventory& inventory, const DoctorOptions& options, const remote::Ssh& ssh);

/// The peers node `index` of `count` tries (ssh-node-to-node, ports): every other node
/// when `count` <= `all_up_to`, else the next `sample` ones round the ring, so every node
/// is tried as a source and as a target.
std::vector<std::size_t> peers_of(std::size_t index, std::size_t count, std::size_t all_up_to, std::size_t sample);

/// What --fix did on one node.
struct FixOutcome {
  std::string node;
  std::string check;
  bool ok = false;
  std::string detail;  ///< why it failed; empty when it worked
};

/// Runs each finding's safe fix on its node (through `ssh`; `sh -c` on the master), at
/// once, each with `timeout`. `ask(finding)` is asked first for fixes that need asking;
/// a fix it declines is not run. Identical scripts on one node run once.
std::vector<FixOutcome> apply_safe_fixes(const Inventory& inventory, const std::vector<Finding>& findings,
                                         const remote::Ssh& ssh, std::chrono::milliseconds timeout,
                                         const std::function<bool(const Finding&)>& ask);

}  // namespace beowulf::cluster
