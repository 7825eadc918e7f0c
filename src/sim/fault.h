#pragma once
// Faults a sim can inject into a node, for tests, for `beowulf doctor` and for teaching:
//   sshd-down              the node's sshd is stopped
//   link-down              the node's cluster interface (eth0) is down
//   port-block PORT        nftables in the node drops TCP to PORT arriving on eth0 (the
//                          node's loopback is untouched, so local programs still work)
//   slow-link [RATE]       the node's link is limited to RATE (tc tbf, default 1mbit) both
//                          ways. This kernel has no netem, so a delay cannot be added;
//                          bandwidth is what slows here.
//   clone-host-keys FROM   the node gets node FROM's host keys, as an SD card clone has
// Sim::fault applies one and records it; Sim::heal undoes them (see sim.h).

#include <string>
#include <vector>

#include "core/result.h"
#include "sim/state.h"

namespace beowulf::sim {

/// The fault kinds, in the order `--help` lists them.
const std::vector<std::string>& fault_kinds();

/// Checks a fault for node `label` of a sim with nodes `labels`: the kind is known and
/// its argument is right (a port 1..65535, a tc rate like 512kbit, another node). Fills
/// in the default argument. Fails (bad input) with what is wrong.
Result<FaultRecord> check_fault(const std::string& label, const std::string& kind, const std::string& arg,
                                const std::vector<std::string>& labels);

}  // namespace beowulf::sim
