#pragma once
// TimeCheck: "are the clocks within N seconds of the master's?", for workflows that need
// it before they start (munge and Slurm refuse credentials from a clock five minutes
// off). Each member prints its clock in a short job; the master's clock half-way through
// the job's round trip is the reference, so a reading is right to within half that trip,
// and only what the reading proves counts as off.

#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "cluster/time_up.h"
#include "core/inventory.h"
#include "core/result.h"
#include "remote/ssh.h"

namespace beowulf::cluster {

/// A node's clock against this machine's (the master's).
struct ClockReading {
  double ahead = 0;  ///< seconds; negative: behind
  double error = 0;  ///< the reading is right to within this (half the round trip)
};

/// Each of `members`' clocks by name; a node that did not answer is an error naming it.
Result<std::map<std::string, ClockReading>> read_clocks(const std::vector<Node>& members, const remote::Ssh& ssh,
                                                        const TimeOptions& options);

/// Ok when every one of `readings` is proven within `limit`; else the error for the node
/// furthest off: "worker002 (198.18.0.12)": "its clock is 312.4 s ahead of the master's
/// (more than 5 s)", hint "beowulf time up". `members` name the nodes in the message.
Status check_clocks(const std::vector<Node>& members, const std::map<std::string, ClockReading>& readings,
                    std::chrono::seconds limit);

/// read_clocks() then check_clocks(): the one call a workflow makes.
Status clocks_within(const std::vector<Node>& members, const remote::Ssh& ssh, std::chrono::seconds limit,
                     const TimeOptions& options = {});

}  // namespace beowulf::cluster
