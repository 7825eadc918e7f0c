#pragma once
// The mpiexec argv for a launch, in the dialect of the implementation behind it:
// MPICH's hydra (`-f machinefile`, `-iface`) or Open MPI (`--hostfile`, `--mca
// btl_tcp_if_include`), and their flags for the ranks' environment (`-genv`, `-x`). Pure: no process is started here.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.h"
#include "launch/mpi_install.h"

namespace beowulf::launch {

struct Launch {
  MpiInstall mpi;
  std::string machine_file;  ///< path of the machine file in mpi's format
  int ranks = 1;
  std::string interface;     ///< the cluster's interface (hydra -iface); empty: let MPI choose
  std::string subnet;        ///< the cluster's subnet, "198.18.0.0/24" (Open MPI); empty: any
  bool as_root = false;      ///< Open MPI refuses root unless told it is on purpose
  std::vector<std::pair<std::string, std::string>> env;  ///< NAME, VALUE given to every rank
  std::string program;       ///< absolute path, the same on every node
  std::vector<std::string> args;
};

/// One `--env` option, NAME=VALUE or NAME (its value here, as Open MPI's `-x NAME` takes
/// it). Fails (bad input) on a name that is not a variable's, or a NAME not set here.
Result<std::pair<std::string, std::string>> parse_env_option(std::string_view text);

/// The argv that starts `launch.program` on `launch.ranks` ranks.
std::vector<std::string> mpiexec_argv(const Launch& launch);

}  // namespace beowulf::launch
