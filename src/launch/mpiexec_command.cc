#include "launch/mpiexec_command.h"

namespace beowulf::launch {
namespace {

std::vector<std::string> mpich_options(const Launch& launch) {
  std::vector<std::string> argv = {"-f", launch.machine_file};
  // Without -iface hydra's proxies may connect back to whatever the master's name
  // resolves to, loopback included ("unable to connect from node2 to master").
  if (!launch.interface.empty()) argv.insert(argv.end(), {"-iface", launch.interface});
  return argv;
}

std::vector<std::string> openmpi_options(const Launch& launch) {
  std::vector<std::string> argv = {"--hostfile", launch.machine_file};
  if (!launch.subnet.empty()) {
    argv.insert(argv.end(), {"--mca", "btl_tcp_if_include", launch.subnet, "--mca", "oob_tcp_if_include", launch.subnet});
  }
  // The master starts every daemon itself, over its warm ssh sockets, instead of a tree
  // of daemons that each need ssh trust to the next (a silent hang when one lacks it).
  argv.insert(argv.end(), {"--mca", "plm_rsh_no_tree_spawn", "1"});
  if (launch.as_root) argv.push_back("--allow-run-as-root");
  return argv;
}

}  // namespace

std::vector<std::string> mpiexec_argv(const Launch& launch) {
  std::vector<std::string> argv = {launch.mpi.mpiexec};
  auto options = launch.mpi.kind == MpiKind::mpich ? mpich_options(launch) : openmpi_options(launch);
  argv.insert(argv.end(), options.begin(), options.end());
  argv.insert(argv.end(), {"-n", std::to_string(launch.ranks), launch.program});
  argv.insert(argv.end(), launch.args.begin(), launch.args.end());
  return argv;
}

}  // namespace beowulf::launch
