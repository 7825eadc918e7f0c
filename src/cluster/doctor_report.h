#pragma once
// The doctor's answer as text: one line per check and node (`✔`, `!`, `✘`, `-`), nodes
// with the same good news folded into one node set (`worker[001-016]`), a `fix:` line
// under every problem, and a summary. Pure.
#include <chrono>
#include <string>
#include <vector>

#include "cluster/check.h"

namespace beowulf::cluster {

/// How many checks ended in each verdict (a check's verdict is its worst finding's; a
/// check all of whose findings were skipped counts as skipped).
struct DoctorSummary {
  int ok = 0, warn = 0, fail = 0, skipped = 0;
};

DoctorSummary summarize(const std::vector<Finding>& findings);

/// The lines for `findings`, in check order:
///   "✔ reach               master,worker[001-003]: sshd answers on port 22"
///   "✘ ssh-master-to-node  worker002: sshd on worker002 refuses key login: ..."
///   "    fix: beowulf exec -w worker002 -- '...'"
std::string format_findings(const std::vector<Finding>& findings);

/// "doctor: 14 checks on 4 nodes: 12 ✔, 1 !, 1 ✘, 0 skipped (1.2 s)".
std::string format_summary(const std::vector<Finding>& findings, std::size_t nodes, std::chrono::milliseconds took);

}  // namespace beowulf::cluster
