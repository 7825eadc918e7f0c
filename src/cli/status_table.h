#pragma once
// How `beowulf status` shows its rows: a table for people, JSON lines for programs.
// Pure: rows in, text out (the caller says whether colour is wanted).

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "cluster/node_status.h"

namespace beowulf::cli {

/// The table, a header line first and a summary line last:
///
///   NODE       ADDRESS      ARCH   STATE  UPTIME  LOAD  CORES  MEMORY      DISK FREE   TEMP   MPI
///   master     198.18.6.1   armhf  up     5h 12m  0.15  2      312M/1010M  12G (80%)   -      MPICH 4.0.2
///   worker001  198.18.6.11  armhf  up     5h 12m  2.50! 2      ...         ...         75.0C! MPICH 4.0.2
///   worker002  198.18.6.12  arm64  down: ssh: connection refused
///   3 nodes: 2 up, 1 down
///
/// A cell past its limit (cluster::alerts) ends in '!', or is red when `colour`; the
/// text of a node without health is red when `colour`. ARCH is the architecture `add`
/// recorded ("-" when unknown). No line ends in spaces.
std::string status_table(const std::vector<cluster::NodeStatus>& rows, bool colour);

/// One JSON object per row, one per line, keys in the order of the table, e.g.
/// {"node":"worker002","address":"198.18.6.12","arch":"armhf","state":"down","error":"ssh: connection refused"}
/// ("arch" is null when unknown).
/// "state" is "up", "down" (not reached) or "failed" (reached, no answer of use).
std::string status_json(const std::vector<cluster::NodeStatus>& rows);

/// `frame` drawn over the previous one on a terminal, as watch(1) does but without a
/// flash: the cursor home, each line cleared to its end as it is written, then the rest
/// of the screen cleared.
std::string drawn_in_place(std::string_view frame);

/// A size for people, in powers of 1024: "512", "1.5K", "312M", "12G" (one decimal
/// below 10).
std::string human_bytes(std::uint64_t bytes);

/// An uptime for people: "42s", "12m", "5h 12m", "3d 4h".
std::string uptime_text(double seconds);

}  // namespace beowulf::cli
