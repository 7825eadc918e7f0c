#pragma once
// The shell scripts `beowulf time` runs on a node (POSIX sh; pure strings), and the
// readers of what they print. A node of the virtual cluster knows itself: its /run
// holds the pid of the sim's holder process (see sim/node_setup.h); there chronyd
// always runs with -x, whatever the master asked.

#include <string>
#include <vector>

#include "cluster/time_config.h"
#include "core/result.h"

namespace beowulf::cluster {

/// The root script of `time up` on a node: chrony installed when missing (apt-get on a
/// real board; on the virtual cluster a missing chronyd is an error, its /usr being this
/// machine's), /etc/chrony/chrony.conf written when it differs (the first one kept as
/// chrony.conf.beowulf-orig), chronyd (re)started when the file changed or it does not
/// run: `systemctl restart chrony` (and enable) on a real board, `chronyd -x` on the sim.
/// Prints a line "change WHAT" per change it made, and "sim yes" on the virtual cluster.
std::string time_up_script(const ChronyPlan& plan);

/// The script of `time status` (no root needed): prints "sim yes" on the virtual cluster,
/// then "state not-installed", or "state not-running" and chronyc's reason, or chronyc's
/// CSV tracking line ("tracking ...") and one "source ..." line per source.
std::string time_status_script();

/// What `time up` did on a node.
struct TimeUpResult {
  std::vector<std::string> changes;  ///< "wrote /etc/chrony/chrony.conf"; empty: nothing changed
  bool sim = false;                  ///< a board of the virtual cluster: chronyd -x
};

TimeUpResult parse_time_up(const std::string& output);

/// A node's clock as its chronyd sees it.
struct TimeStatus {
  /// "synchronised", "serving its own clock", "not synchronised", "chronyd not running",
  /// "chrony not installed"
  std::string state;
  std::string source;       ///< the selected source's address, "local clock", or "-"
  bool has_offset = false;  ///< the offset below is known
  double offset = 0;        ///< seconds this clock is ahead of the source's (last sample)
  bool sim = false;         ///< chronyd runs with -x: it measures, never sets the clock
  bool ok() const { return state == "synchronised" || state == "serving its own clock"; }
};

/// Reads time_status_script()'s output. Fails when it is none of the expected shapes.
Result<TimeStatus> parse_time_status(const std::string& output);

/// "+12 µs", "-1.3 ms", "+2.41 s": an offset as the table writes it.
std::string offset_text(double seconds);

}  // namespace beowulf::cluster
