#include "cli/command.h"

namespace beowulf::cli {

// One declaration per subcommand file (src/cli/<name>_command.cc).
Run attach_sim(CLI::App& sub);
Run attach_init(CLI::App& sub);
Run attach_add(CLI::App& sub);
Run attach_remove(CLI::App& sub);
Run attach_discover(CLI::App& sub);
Run attach_exec(CLI::App& sub);
Run attach_copy(CLI::App& sub);
Run attach_run(CLI::App& sub);
Run attach_doctor(CLI::App& sub);
Run attach_status(CLI::App& sub);
Run attach_time(CLI::App& sub);
Run attach_users(CLI::App& sub);
Run attach_slurm(CLI::App& sub);
Run attach_demo(CLI::App& sub);
Run attach_machinefile(CLI::App& sub);
Run attach_nodeset(CLI::App& sub);
Run attach_image(CLI::App& sub);
Run attach_case(CLI::App& sub);

// In the order a user meets them: practise, build, use, check, then the tools.
const std::vector<Command>& commands() {
  static const std::vector<Command> table = {
      {"sim", "a virtual cluster on this machine, to practise and to test on (root)", attach_sim},
      {"init", "make this machine the master of a new cluster", attach_init},
      {"add", "make boards members: keys, hostnames, hosts tables, proved", attach_add},
      {"remove", "take nodes out of the cluster (--revoke: and their trust)", attach_remove},
      {"discover", "list machines answering SSH on the master's subnet", attach_discover},
      {"exec", "run a command on every member at once, like pdsh and clush", attach_exec},
      {"copy", "copy files to every member (pdcp), or --gather one from each (rpdcp)", attach_copy},
      {"run", "start an MPI program on the cluster (the recipe's mpiexec, without its traps)", attach_run},
      {"doctor", "check every node and pair, say what is wrong and how to fix it (--fix)", attach_doctor},
      {"status", "one table of every node's health: load, memory, disk, temperature, MPI", attach_status},
      {"time", "the same clock on every board: chrony, the master serving the workers", attach_time},
      {"users", "the same accounts on every board: UID, home, ssh key; check and fix", attach_users},
      {"slurm", "Slurm on the cluster: set up, proved, shown and taken down in one command", attach_slurm},
      {"demo", "the recipe start to finish on a virtual cluster of fresh boards", attach_demo},
      {"machinefile", "print the machine file for mpiexec (MPICH or Open MPI)", attach_machinefile},
      {"nodeset", "expand, fold and count node sets like worker[001-004]", attach_nodeset},
      {"image", "read, write, verify, shrink and personalize SD card images", attach_image},
      {"case", "parts list and picture of the 3D-printed case for N boards", attach_case},
  };
  return table;
}

}  // namespace beowulf::cli
