// `beowulf run`: the recipe's `mpiexec -f machine_file -n 4 cpi`, without its traps.

#include <fmt/core.h>
#include <fmt/ranges.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cli/command.h"
#include "cli/interrupt.h"
#include "cli/member_options.h"
#include "cli/progress_line.h"
#include "cli/report.h"
#include "cli/foreground_launch.h"
#include "cli/slurm_run.h"
#include "cluster/members.h"
#include "core/machine_file.h"
#include "core/nodeset.h"
#include "launch/elf_arch.h"
#include "launch/mpi_install.h"
#include "launch/mpiexec_command.h"
#include "launch/program_mpi.h"
#include "launch/program_sync.h"
#include "launch/run_files.h"
#include "launch/run_plan.h"
#include "sys/atomic_file.h"
#include "sys/interfaces.h"
#include "sys/inventory_file.h"
#include "sys/paths.h"

namespace beowulf::cli {
namespace {

struct RunOptions {
  int ranks = 0;
  std::string mpi;
  bool no_sync = false;
  bool verbose = false;
  bool slurm = false;  ///< --slurm: a batch job instead of mpiexec here
  std::vector<std::string> sync;
  std::vector<std::string> env;
  MemberOptions members;  ///< -w/-x: the members ranks go to; -f/-t: the check and copy before
  std::string program;
  std::vector<std::string> command;  ///< PROGRAM ARGS...
};

/// A launch ready to start, and the machine file made for it alone (-w/-x), if any.
struct Prepared {
  launch::Launch launch;
  std::string own_machine_file;
};

/// ~/.beowulf/machinefile (MPICH) or hostfile (Open MPI), as `add` writes them, rewritten
/// only when the inventory changed since; for a part of the cluster (-w/-x), a file of
/// this run's own beside them.
Result<std::string> machine_file(const Inventory& nodes, launch::MpiKind kind, bool whole_cluster) {
  bool mpich = kind == launch::MpiKind::mpich;
  std::string path = sys::beowulf_home() + (mpich ? "/machinefile" : "/hostfile");
  if (!whole_cluster) path = fmt::format("{}/run-{}.{}", sys::beowulf_home(), ::getpid(), mpich ? "machinefile" : "hostfile");
  std::string text = write_machine_file(machine_entries(nodes, HostBy::name),
                                        mpich ? MachineFileFormat::mpich : MachineFileFormat::openmpi);
  auto now = sys::read_file(path);
  if (now.ok() && *now == text) return path;
  if (Status s = sys::write_file_atomically(path, text, 0644); !s.ok()) return s.error();
  return path;
}

/// The inventory less the members -w/-x leave out.
Result<Inventory> selected_part(const Inventory& inventory, const RunOptions& o) {
  auto members = cluster::select_members(inventory, o.members.include, o.members.exclude);
  if (!members) return members.error();
  if (members->empty()) return bad_input("no node left to run on", "check -w and -x");
  Inventory part = inventory;
  for (const auto& node : inventory.nodes())
    if (std::none_of(members->begin(), members->end(), [&](const Node& m) { return m.name == node.name; }))
      part.remove(node.name);
  return part;
}

/// The MPI to launch with: --mpi's, else the one the program is built with (said in one
/// line), else the one behind `mpiexec`.
Result<launch::MpiInstall> choose_mpi(const RunOptions& o, const std::string& program, std::string_view shown,
                                      std::optional<launch::ProgramMpi>& needs) {
  if (!o.mpi.empty()) {
    auto kind = launch::parse_mpi_kind(o.mpi);
    if (!kind) return kind.error();
    auto mpi = launch::detect_mpi(*kind);
    if (!mpi) return mpi.error();
    if (Status s = launch::check_program_links(program, *mpi); !s.ok()) return s.error();
    return mpi;
  }
  needs = launch::program_mpi(program, shown);
  if (!needs) return launch::detect_mpi(std::nullopt);
  auto mpi = launch::installed_mpi(needs->kind);
  if (mpi) fmt::print(stderr, "run: launching with {}: {}\n", launch::display_name(needs->kind), needs->reason);
  return mpi;
}

/// The files every node needs (the program unless it is the system's, files named in its
/// arguments, --sync), and what the launch needs there.
launch::SyncRequest needed_files(const RunOptions& o, const std::string& program, const std::vector<std::string>& synced,
                                 const launch::MpiInstall& mpi, const std::optional<launch::ProgramMpi>& needs) {
  std::string cwd = std::filesystem::current_path().string();
  launch::SyncRequest request;
  std::string home = sys::home_directory();
  if (launch::shown_path(cwd, home) != cwd) request.workdir = cwd;  // under home: the user's to make
  if (!launch::is_system_path(program)) request.files.push_back(program);
  std::vector<std::string> args(o.command.begin() + 1, o.command.end());
  auto wanted = launch::files_named_in(args, cwd, home);
  wanted.insert(wanted.end(), synced.begin(), synced.end());
  for (auto& f : wanted)
    if (std::find(request.files.begin(), request.files.end(), f) == request.files.end()) request.files.push_back(f);
  std::string name(launch::display_name(mpi.kind));
  request.required.push_back({launch::node_daemon(mpi.kind),
                              fmt::format("{} is not installed{}", name, needs ? " (" + needs->reason + ")" : ""),
                              std::string(launch::package_of(mpi.kind))});
  if (needs && !needs->mpi4py_module.empty())
    request.required.push_back({needs->mpi4py_module, "mpi4py is not installed", "python3-mpi4py"});
  return request;
}

/// Transfers smaller than this (every node's copy counted) end too soon for a progress line.
constexpr std::uint64_t kProgressFrom = 4 << 20;

/// "run: sent sum.py, data.txt to worker[001-003]", one line per group of nodes.
void report_sent(const launch::SyncReport& report) {
  std::string cwd = std::filesystem::current_path().string();
  for (const auto& group : report.sent) {
    std::vector<std::string> shown;
    for (const auto& f : group.files) shown.push_back(launch::shown_path(f, cwd));
    auto nodes = NodeSet::parse(fmt::format("{}", fmt::join(group.nodes, ",")));
    fmt::print(stderr, "run: sent {} to {}\n", fmt::join(shown, ", "),
               nodes ? nodes->fold() : fmt::format("{}", fmt::join(group.nodes, ",")));
  }
}

/// The launch for `o` on `inventory`, every check passed and the files synced.
Result<Prepared> prepare(const RunOptions& o, const Inventory& inventory, int cancel_fd) {
  std::vector<std::pair<std::string, std::string>> env;
  for (const auto& text : o.env) {
    auto var = launch::parse_env_option(text);
    if (!var) return var.error();
    env.push_back(*var);
  }
  auto synced = launch::files_to_sync(o.sync, std::filesystem::current_path().string());
  if (!synced) return synced.error();
  auto program = launch::resolve_program(o.command.front());
  if (!program) return program.error();
  std::string shown = std::filesystem::path(*program).filename().string();
  auto part = selected_part(inventory, o);
  if (!part) return part.error();
  const Node* master = inventory.master();
  if (!master) return Error{"the inventory has no master", "", "run 'beowulf init' on the master first"};
  auto ranks = launch::rank_count(*part, o.ranks);
  if (!ranks) return ranks.error();
  auto nodes = launch::nodes_for_ranks(*part, *ranks);
  if (!launch::is_system_path(*program))
    if (auto arch = launch::program_arch(*program))
      if (Status s = launch::check_arch(nodes, shown, *arch); !s.ok()) return s.error();

  std::optional<launch::ProgramMpi> needs;
  auto mpi = choose_mpi(o, *program, shown, needs);
  if (!mpi) return mpi.error();
  auto request = needed_files(o, *program, *synced, *mpi, needs);

  remote::Ssh ssh;
  if (Status s = remote::ensure_control_dir(ssh.settings().control_dir); !s.ok()) return s.error();
  ProgressLine line;  // on a terminal only, and only for a large transfer
  auto show = [&](std::uint64_t done, std::uint64_t total) {
    if (total >= kProgressFrom) line.update({"send", done, total});
  };
  auto timeout = o.members.timeout();
  if (!timeout) return timeout.error();
  auto sent = launch::sync_files(nodes, ssh, request,
                                 {.copy = !o.no_sync, .timeout = *timeout, .fanout = o.members.fanout,
                                  .cancel_fd = cancel_fd, .progress = show});
  line.finish();
  if (!sent) return sent.error();
  report_sent(*sent);

  bool whole = o.members.include.empty() && o.members.exclude.empty();
  auto file = machine_file(whole ? inventory : *part, mpi->kind, whole);
  if (!file) return file.error();
  auto local = sys::ipv4_addresses();
  if (!local) return local.error();
  Prepared p;
  p.own_machine_file = whole ? "" : *file;
  launch::Launch& l = p.launch;
  l.mpi = *mpi;
  l.machine_file = *file;
  l.ranks = *ranks;
  l.interface = launch::interface_of(*local, master->address);
  l.subnet = launch::cluster_subnet(inventory, *local).str();
  l.as_root = ::geteuid() == 0;
  l.env = std::move(env);
  l.program = *program;
  l.args.assign(o.command.begin() + 1, o.command.end());
  return p;
}

// MPICH here is built with ch4:ucx. Across the sim's nodes (separate network namespaces,
// shared /dev/shm) UCX needed no UCX_NET_DEVICES or UCX_TLS: cpi ran on 34 ranks over 17
// nodes with distinct hostnames, and with every node still called linaro-nano. So the
// launch sets none, and a board's own UCX settings stay the user's.

/// Runs mpiexec in the foreground (see cli/foreground_launch.h): stdin to rank 0, Ctrl-C
/// ends every rank and exits 130.
int start_mpiexec(const launch::Launch& l, int interrupt_fd, bool verbose) {
  auto argv = launch::mpiexec_argv(l);
  if (verbose) fmt::print(stderr, "run: {}\n", fmt::join(argv, " "));
  std::fflush(stdout);  // what we printed comes before what mpiexec prints
  return run_in_foreground(argv, interrupt_fd);
}

/// -w and -x as Slurm's --nodelist and --exclude, in member names.
SlurmPlacement placement(const RunOptions& o, const Inventory& inventory) {
  auto names = [&](const std::string& nodes) -> std::string {
    auto members = cluster::select_members(inventory, nodes, "");
    if (!members || nodes.empty()) return "";
    std::vector<std::string> list;
    for (const auto& m : *members) list.push_back(m.name);
    auto set = NodeSet::parse(fmt::format("{}", fmt::join(list, ",")));
    return set ? set->fold() : "";
  };
  return {names(o.members.include), names(o.members.exclude)};
}

int run_program(const RunOptions& o) {
  if (o.program.empty()) return report(bad_input("which program?", "example: beowulf run -n 4 beowulf-cpi"));
  auto inventory = sys::load_inventory(sys::inventory_path());
  if (!inventory) return report(inventory.error());
  if (o.slurm)
    if (Status up = check_slurm_is_up(); !up.ok()) return report(up.error());
  InterruptGuard interrupt;
  auto prepared = prepare(o, *inventory, interrupt.fd());
  if (interrupt.interrupted()) return exit_interrupted;
  if (!prepared) return report(prepared.error());
  int status = o.slurm ? run_as_batch_job(prepared->launch, placement(o, *inventory), *inventory, interrupt.fd())
                       : start_mpiexec(prepared->launch, interrupt.fd(), o.verbose);
  if (!prepared->own_machine_file.empty()) std::filesystem::remove(prepared->own_machine_file);
  return status;
}

}  // namespace

Run attach_run(CLI::App& sub) {
  auto o = std::make_shared<RunOptions>();
  sub.add_option("-n", o->ranks, "how many processes (default: every slot of the nodes it runs on)")->type_name("N");
  o->members.timeout_seconds = 15;
  o->members.attach(sub, "a node that does not answer the check of the program within this is named", 1);
  sub.add_option("--mpi", o->mpi, "the MPI to launch with: mpich or openmpi (default: the one PROGRAM is built with)")
      ->type_name("KIND");
  // One value per --sync/--env: the program's own words after them are not theirs.
  sub.add_option("--sync", o->sync, "also bring PATH (a folder: all of it) to every node; repeatable")
      ->type_name("PATH")
      ->allow_extra_args(false);
  sub.add_option("--env", o->env, "give every rank this variable (NAME alone: its value here); repeatable")
      ->type_name("NAME[=VALUE]")
      ->allow_extra_args(false);
  sub.add_flag("--no-sync", o->no_sync, "do not compare and send the program and its files");
  sub.add_flag("-v,--verbose", o->verbose, "print the mpiexec command line before running it");
  sub.add_flag("--slurm", o->slurm,
               "submit it as a Slurm batch job (beowulf slurm up) and follow its output: -n is --ntasks,\n"
               "-w/-x are --nodelist/--exclude; the exit status is the job's");
  // One positional, then everything after it, options included, is the program's own
  // (a vector positional would take the program's plain words and leave its options).
  sub.add_option("program", o->program, "the MPI program, then its own arguments")->type_name("PROGRAM");
  sub.prefix_command();
  sub.footer(
      "Checks that every node it needs answers and has the MPI PROGRAM is built with (found by\n"
      "ldd; for python3 SCRIPT, the MPI mpi4py is built with; --mpi chooses), brings PROGRAM,\n"
      "every argument that names a file of yours (under this folder or your home) and each\n"
      "--sync PATH to every node where it is missing or differs (same absolute path; unchanged\n"
      "files are not sent again; a large transfer shows progress on a terminal), then starts it\n"
      "with that MPI's mpiexec over the cluster's network, rank 0 on the master (-w/-x: ranks\n"
      "only on those members). Standard input goes to rank 0 (a pipe, or what you type). Files\n"
      "the ranks write stay on the node that wrote them (gather them with 'beowulf copy\n"
      "--gather'). The output and the exit status are the program's (non-zero when a rank\n"
      "fails); Ctrl-C ends every rank on every node and exits 130. With --slurm the same checks\n"
      "and files, then a batch job (its output in slurm-JOBID.out here, printed as it comes;\n"
      "Ctrl-C cancels it).\n\n"
      "Example:\n"
      "  beowulf run beowulf-cpi\n"
      "  printf '100000\\n0\\n' | beowulf run ./icpi\n"
      "  beowulf run -n 8 --env OMP_NUM_THREADS=1 python3 sum.py data.txt\n"
      "  beowulf run -x worker003 --sync params/ ./my-program --size 1000\n"
      "  beowulf run -w 'worker[001-004]' --mpi openmpi ./ring_c\n"
      "  beowulf run --slurm -n 8 beowulf-cpi");
  return [o, &sub] {
    o->command = {o->program};
    auto rest = sub.remaining();
    o->command.insert(o->command.end(), rest.begin(), rest.end());
    return run_program(*o);
  };
}

}  // namespace beowulf::cli
