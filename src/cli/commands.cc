#include "cli/command.h"

namespace beowulf::cli {

// One declaration per subcommand file (src/cli/<name>_command.cc).
Run attach_case(CLI::App& sub);
Run attach_machinefile(CLI::App& sub);
Run attach_nodeset(CLI::App& sub);
Command sim_command();
Run attach_init(CLI::App& sub);
Run attach_add(CLI::App& sub);
Run attach_status(CLI::App& sub);

const std::vector<Command>& commands() {
  static const std::vector<Command> table = {
      {"case", "parts list and picture of the 3D-printed case for N boards", attach_case},
      {"machinefile", "print the machine file for mpiexec (MPICH or Open MPI)", attach_machinefile},
      {"nodeset", "expand, fold and count node sets like worker[001-004]", attach_nodeset},
      sim_command(),
      {"init", "make this machine the master of a new cluster", attach_init},
      {"add", "make boards members: keys, hostnames, hosts tables, proved", attach_add},
      {"status", "one table of every node's health: load, memory, disk, temperature, MPI", attach_status},
  };
  return table;
}

}  // namespace beowulf::cli
