#pragma once
// Machine files: the lists of hosts that mpiexec reads. MPICH's hydra (`mpiexec -f FILE`)
// takes `host` or `host:slots`; Open MPI (`mpiexec --hostfile FILE`) takes
// `host slots=N max_slots=M`. Both allow `#` comments. Pure text transforms.

#include <string>
#include <string_view>
#include <vector>

#include "core/inventory.h"
#include "core/result.h"

namespace beowulf {

enum class MachineFileFormat { mpich, openmpi };

/// One host line of a machine file.
struct MachineEntry {
  std::string host;   ///< an IPv4 address or a host name
  int slots = 0;      ///< 0: not given (the launcher assumes 1)
  int max_slots = 0;  ///< Open MPI only; 0: not given
  bool operator==(const MachineEntry&) const = default;
};

/// How generated files name a host.
enum class HostBy { address, name };

/// The entries for `inventory`: the master first (rank 0 runs on it, as in the recipe),
/// then the workers in inventory order, each with its slots.
std::vector<MachineEntry> machine_entries(const Inventory& inventory, HostBy by = HostBy::address);

/// The text of a machine file in `format`, one line per entry, with a header comment.
/// max_slots is written only for Open MPI.
std::string write_machine_file(const std::vector<MachineEntry>& entries, MachineFileFormat format);

/// Parses a machine file, hand-written ones included. A host that looks like an address
/// must be one a node can use (in its /24: not .0 nor .255); other hosts must be host
/// names. Fails with every bad line at once, one per line of the error's what:
/// "machine_file:3: '192.168.1.255' ... \nmachine_file:5: ...", `file` naming the file.
Result<std::vector<MachineEntry>> parse_machine_file(std::string_view text, MachineFileFormat format,
                                                     std::string_view file);

/// "mpich" or "openmpi".
std::string_view format_name(MachineFileFormat format);

}  // namespace beowulf
