#pragma once
// NeighbourTable: room in the kernel's ARP table for every sim at once. Each board of a
// real cluster has its own kernel and its own ARP table; the sim's boards share this
// machine's one, whose size limit (net.ipv4.neigh.default.gc_thresh3, 1024 on Debian)
// counts the entries of every namespace together. 65 boards that all talk to each other
// (doctor's ports check, MPI) need 65 x 64 = 4160 entries: past the limit the kernel drops
// the ARP lookups ("neighbour table overflow!") and connections time out at random.
//
// So while sims are up whose boards need more than the limit, the limit is raised by
// what they need, and the machine's own values are kept in /run/beowulf-sim/neighbour-table
// until the last such sim is down: then they are put back and the file removed.
#include <string>

#include "core/result.h"

namespace beowulf::sim {

/// The kernel's limits: the soft one (gc_thresh2) and the hard one (gc_thresh3).
struct NeighbourLimits {
  long soft = 512;
  long hard = 1024;
  bool operator==(const NeighbourLimits&) const = default;
};

/// The limits `boards` sim boards need on a machine whose own limits are `machine`:
/// `machine` while every board can reach every other within half the hard limit (the
/// machine's own neighbours keep the other half), else both raised by boards x boards.
NeighbourLimits neighbour_limits_for(long boards, const NeighbourLimits& machine);

/// Sets the limits every sim up now needs (its boards: the network namespaces named
/// bwsim-*), keeping or restoring the machine's own as described above. `saved` is the
/// file that keeps them, "SOFT HARD" (default: /run/beowulf-sim/neighbour-table).
Status fit_neighbour_table(const std::string& saved = "/run/beowulf-sim/neighbour-table");

}  // namespace beowulf::sim
