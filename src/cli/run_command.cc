// `beowulf run`: the recipe's `mpiexec -f machine_file -n 4 cpi`, without its traps.

#include <fmt/core.h>
#include <fmt/ranges.h>
#include <unistd.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cli/command.h"
#include "cli/report.h"
#include "cli/streamed.h"
#include "core/machine_file.h"
#include "launch/mpi_install.h"
#include "launch/mpiexec_command.h"
#include "launch/program_sync.h"
#include "launch/run_plan.h"
#include "sys/atomic_file.h"
#include "sys/interfaces.h"
#include "cli/interrupt.h"
#include "sys/inventory_file.h"
#include "sys/paths.h"

namespace beowulf::cli {
namespace {

struct RunOptions {
  int ranks = 0;
  std::string mpi;
  bool no_sync = false;
  bool verbose = false;
  std::string program;
  std::vector<std::string> command;  ///< PROGRAM ARGS...
};

/// ~/.beowulf/machinefile (MPICH) or hostfile (Open MPI), as `add` writes them, rewritten
/// only when the inventory changed since.
Result<std::string> machine_file(const Inventory& inventory, launch::MpiKind kind) {
  bool mpich = kind == launch::MpiKind::mpich;
  std::string path = sys::beowulf_home() + (mpich ? "/machinefile" : "/hostfile");
  std::string text = write_machine_file(machine_entries(inventory, HostBy::name),
                                        mpich ? MachineFileFormat::mpich : MachineFileFormat::openmpi);
  auto now = sys::read_file(path);
  if (now.ok() && *now == text) return path;
  if (Status s = sys::write_file_atomically(path, text, 0644); !s.ok()) return s.error();
  return path;
}

/// The launch for `o` on `inventory`, every check passed and the program synced.
Result<launch::Launch> prepare(const RunOptions& o, const Inventory& inventory, int cancel_fd) {
  std::optional<launch::MpiKind> wanted;
  if (!o.mpi.empty()) {
    auto kind = launch::parse_mpi_kind(o.mpi);
    if (!kind) return kind.error();
    wanted = *kind;
  }
  auto program = launch::resolve_program(o.command.front());
  if (!program) return program.error();
  auto mpi = launch::detect_mpi(wanted);
  if (!mpi) return mpi.error();
  if (Status s = launch::check_program_links(*program, *mpi); !s.ok()) return s.error();
  const Node* master = inventory.master();
  if (!master) return Error{"the inventory has no master", "", "run 'beowulf init' on the master first"};
  auto ranks = launch::rank_count(inventory, o.ranks);
  if (!ranks) return ranks.error();

  remote::Ssh ssh;
  if (Status s = remote::ensure_control_dir(ssh.settings().control_dir); !s.ok()) return s.error();
  auto synced = launch::sync_program(launch::nodes_for_ranks(inventory, *ranks), ssh, *program,
                                     {.copy = !o.no_sync, .cancel_fd = cancel_fd});
  if (!synced) return synced.error();
  if (!synced->copied.empty())
    fmt::print(stderr, "run: copied {} to {}\n", *program, fmt::join(synced->copied, ", "));

  auto file = machine_file(inventory, mpi->kind);
  if (!file) return file.error();
  auto local = sys::ipv4_addresses();
  if (!local) return local.error();
  launch::Launch l;
  l.mpi = *mpi;
  l.machine_file = *file;
  l.ranks = *ranks;
  l.interface = launch::interface_of(*local, master->address);
  l.subnet = launch::cluster_subnet(inventory, *local).str();
  l.as_root = ::geteuid() == 0;
  l.program = *program;
  l.args.assign(o.command.begin() + 1, o.command.end());
  return l;
}

// MPICH here is built with ch4:ucx. Across the sim's nodes (separate network namespaces,
// shared /dev/shm) UCX needed no UCX_NET_DEVICES or UCX_TLS: cpi ran on 34 ranks over 17
// nodes with distinct hostnames, and with every node still called linaro-nano. So the
// launch sets none, and a board's own UCX settings stay the user's.

/// Runs mpiexec streamed: Ctrl-C kills it and everything it started (its ssh children too).
int start_mpiexec(const launch::Launch& l, int cancel_fd, bool verbose) {
  auto argv = launch::mpiexec_argv(l);
  if (verbose) fmt::print(stderr, "run: {}\n", fmt::join(argv, " "));
  return run_streamed(sys::ProcessSpec{.argv = argv}, cancel_fd);
}

int run_program(const RunOptions& o) {
  if (o.program.empty()) return report(bad_input("which program?", "example: beowulf run -n 4 beowulf-cpi"));
  auto inventory = sys::load_inventory(sys::inventory_path());
  if (!inventory) return report(inventory.error());
  InterruptGuard interrupt;
  auto prepared = prepare(o, *inventory, interrupt.fd());
  if (interrupt.interrupted()) return exit_interrupted;
  if (!prepared) return report(prepared.error());
  return start_mpiexec(*prepared, interrupt.fd(), o.verbose);
}

}  // namespace

Run attach_run(CLI::App& sub) {
  auto o = std::make_shared<RunOptions>();
  sub.add_option("-n", o->ranks, "how many processes (default: every slot of the cluster)")->type_name("N");
  sub.add_option("--mpi", o->mpi, "the MPI to launch with: mpich or openmpi (default: the one behind mpiexec)")
      ->type_name("KIND");
  sub.add_flag("--no-sync", o->no_sync, "do not compare and copy the program to the nodes");
  sub.add_flag("-v,--verbose", o->verbose, "print the mpiexec command line before running it");
  // One positional, then everything after it, options included, is the program's own
  // (a vector positional would take the program's plain words and leave its options).
  sub.add_option("program", o->program, "the MPI program, then its own arguments")->type_name("PROGRAM");
  sub.prefix_command();
  sub.footer(
      "Checks that every node it needs answers, copies PROGRAM where it is missing or differs\n"
      "(same absolute path everywhere), then starts it with mpiexec over the cluster's network,\n"
      "rank 0 on the master. The output and the exit status are mpiexec's.\n\n"
      "Example:\n"
      "  beowulf run beowulf-cpi\n"
      "  beowulf run -n 8 --mpi openmpi ./my-program --size 1000");
  return [o, &sub] {
    o->command = {o->program};
    auto rest = sub.remaining();
    o->command.insert(o->command.end(), rest.begin(), rest.end());
    return run_program(*o);
  };
}

}  // namespace beowulf::cli
