#pragma once
// NodeHealth: what `beowulf status` shows about a node. probe_script() is the one shell
// command sent to each node; parse_node_health() reads what it printed. Pure: text in,
// values out.
//
// The probe prints one fact per line, "KEY VALUE...", and last the name of the MPI
// program it asked followed by that program's own output to the end:
//
//   uptime 93784.52
//   load 0.15
//   cores 2
//   mem MemTotal: 1011224          (kB, as /proc/meminfo gives them; also MemFree:,
//   mem MemAvailable: 690112        MemAvailable:, Buffers:, Cached:)
//   disk 15023104 12011520         (root file system: total and available, in KiB)
//   thermal 45500                  (one per /sys/class/thermal/thermal_zone*/temp, m°C)
//   xadc 2587 -2219 123.040771484  (a Parallella's XADC: in_temp0_raw, _offset, _scale)
//   mpi mpiexec                    (then `mpiexec --version`'s output; "mpi -": none)

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"

namespace beowulf::cluster {

struct NodeHealth {
  double uptime_seconds = 0;
  double load1 = 0;                      ///< load average over 1 minute
  int cores = 1;                         ///< online processors
  std::uint64_t memory_used = 0;         ///< bytes: total less what is available
  std::uint64_t memory_total = 0;        ///< bytes
  std::uint64_t disk_free = 0;           ///< bytes available on / to a user
  std::uint64_t disk_total = 0;          ///< bytes
  std::optional<double> temperature_c;   ///< the hottest sensor; nullopt: the board has none
  std::string mpi;                       ///< "MPICH 4.0.2", "Open MPI 4.1.4"; empty: none found
};

/// The limits past which a cell is marked.
inline constexpr double kHotCelsius = 70.0;
inline constexpr double kLowDiskFraction = 0.10;

/// Which of a node's values are past their limits.
struct HealthAlerts {
  bool temperature = false;  ///< above kHotCelsius
  bool load = false;         ///< 1-minute load above the number of cores
  bool disk = false;         ///< less than kLowDiskFraction of the root file system free

  bool any() const { return temperature || load || disk; }
};

HealthAlerts alerts(const NodeHealth& health);

/// The POSIX sh script that prints a node's facts in the format above: builtins for the
/// /proc and /sys files, then nproc, df and the MPI launcher's version.
std::string probe_script();

/// Parses probe_script()'s output. Lines it does not know are skipped (a node's shell
/// start-up files may print some). Fails when a fact is missing or malformed, e.g.
/// "status probe: no 'load' line in the node's answer" or
/// "status probe: line 3: 'cores x': not a number".
Result<NodeHealth> parse_node_health(std::string_view output);

/// "MPICH 4.0.2" or "Open MPI 4.1.4" from the output of `mpiexec --version` (hydra or
/// Open MPI), `mpichversion` or `ompi_info --version`; else its first line, empty when
/// there is none.
std::string mpi_version(std::string_view program_output);

}  // namespace beowulf::cluster
