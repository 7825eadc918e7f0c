// `beowulf slurm`: Slurm set up on the cluster, proved, shown and taken down (src/slurm/).

#include <fmt/core.h>

#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "cli/command.h"
#include "cli/interrupt.h"
#include "cli/password_options.h"
#include "cli/report.h"
#include "cli/slurm_follow_up.h"
#include "cli/style.h"
#include "cluster/members.h"
#include "slurm/slurm_conf.h"
#include "slurm/slurm_doctor.h"
#include "slurm/slurm_down.h"
#include "slurm/slurm_status.h"
#include "slurm/slurm_up.h"
#include "sys/inventory_file.h"
#include "sys/paths.h"
#include "sys/process.h"

namespace beowulf::cli {
namespace {

struct Options {
  std::string include;
  bool purge = false;
  bool no_proof = false;
  UnneededPasswordOptions password;
};

struct Cluster {
  Inventory inventory;
  Node master;
  std::vector<Node> nodes;
  remote::Ssh ssh;
};

/// The inventory, its master, the members `-w` selects and the ssh transport (its socket
/// folder made); an Error when any is missing.
Result<Cluster> load_cluster(const std::string& include) {
  auto inventory = sys::load_inventory(sys::inventory_path());
  if (!inventory) return inventory.error();
  if (!inventory->master()) return Error{"the cluster has no master", "", "run 'beowulf init' on the master"};
  auto members = cluster::select_members(*inventory, include, "");
  if (!members) return members.error();
  if (members->empty()) return bad_input("no node left to run Slurm on", "check -w");
  const Node& master = *inventory->master();
  remote::Ssh ssh;
  if (auto made = remote::ensure_control_dir(ssh.settings().control_dir); !made) return made.error();
  return Cluster{*inventory, master, *members, ssh};
}

int report_all(const std::vector<Error>& errors) {
  int status = exit_ok;
  for (const auto& e : errors) status = report(e);
  return status;
}

void progress(const std::string& line) {
  fmt::print(stderr, "slurm: {}...\n", line);
  std::fflush(stderr);
}

int bring_up(Result<Cluster> cluster, bool no_proof);

int run_up(const Options& o) {
  o.password.drop("slurm up");
  return bring_up(load_cluster(o.include), o.no_proof);
}

int bring_up(Result<Cluster> cluster, bool no_proof) {
  if (!cluster) return report(cluster.error());
  InterruptGuard interrupt;
  slurm::UpOptions up{cluster->master, cluster->nodes, slurm::cluster_name(cluster->inventory.name()), cluster->ssh};
  up.cancel_fd = interrupt.fd();
  up.cpi = no_proof ? "" : sys::find_on_path("beowulf-cpi");
  up.output_dir = sys::beowulf_home() + "/slurm";
  up.progress = progress;
  auto done = slurm::slurm_up(up);
  for (const auto& line : done.changes) fmt::print("{}\n", line);
  if (interrupt.interrupted()) {
    fmt::print(stderr, "beowulf: interrupted: run 'beowulf slurm up' again to finish\n");
    return exit_interrupted;
  }
  if (!done.ok()) return report_all(done.errors);
  if (done.changes.empty()) fmt::print("nothing changed: Slurm was already set up\n");
  std::string mark = styled(stdout, "32", "✔");
  fmt::print("{} srun -N{} hostname: {}\n", mark, done.srun_names.size(), slurm::folded_names(done.srun_names));
  if (!done.pi_line.empty()) fmt::print("{} sbatch beowulf-cpi: {}\n", mark, done.pi_line);
  else if (!no_proof) fmt::print("! no batch proof: beowulf-cpi is not on PATH\n");
  fmt::print("Slurm is up: {} node{} in partition beowulf; try 'srun -N{} hostname'\n", done.srun_names.size(),
             done.srun_names.size() == 1 ? "" : "s", done.srun_names.size());
  return exit_ok;
}

int run_down(const Options& o) {
  o.password.drop("slurm down");
  auto cluster = load_cluster("");
  if (!cluster) return report(cluster.error());
  InterruptGuard interrupt;
  slurm::DownOptions down{cluster->nodes, o.purge, cluster->ssh};
  down.cancel_fd = interrupt.fd();
  auto done = slurm::slurm_down(down);
  for (const auto& line : done.changes) fmt::print("{}\n", line);
  if (interrupt.interrupted()) return exit_interrupted;
  if (!done.errors.empty()) return report_all(done.errors);
  if (done.changes.empty()) fmt::print("nothing to stop: Slurm was not running\n");
  return exit_ok;
}

int run_status() {
  auto status = slurm::slurm_status();
  if (!status) return report(status.error());
  fmt::print("{:<16} {:<10} {}\n", "NODE", "STATE", "REASON");
  for (const auto& n : status->nodes) fmt::print("{:<16} {:<10} {}\n", n.name, n.state, n.reason);
  if (status->queue.empty()) {
    fmt::print("\nqueue: empty\n");
    return exit_ok;
  }
  fmt::print("\n{:<8} {:<10} {:<16} {:<10} {:<10} {}\n", "JOB", "USER", "NAME", "STATE", "TIME", "NODES (REASON)");
  for (const auto& j : status->queue)
    fmt::print("{:<8} {:<10} {:<16} {:<10} {:<10} {}\n", j.id, j.user, j.name, j.state, j.time, j.nodes);
  return exit_ok;
}

/// Asks on the terminal whether to run `slurm up` now; yes unless the answer starts with n.
bool user_says_yes() {
  fmt::print(stderr, "Slurm runs on this cluster: bring its node list in step now (beowulf slurm up)? [Y/n] ");
  std::fflush(stderr);
  std::string answer;
  if (!std::getline(std::cin, answer)) return false;
  return answer.empty() || (answer[0] != 'n' && answer[0] != 'N');
}

}  // namespace

int slurm_follow_up(bool update) {
  if (!slurm::slurm_configured()) return exit_ok;
  if (!update && !(isatty(STDIN_FILENO) == 1 && isatty(STDERR_FILENO) == 1 && user_says_yes())) {
    fmt::print("Slurm's node list no longer matches the cluster: run 'beowulf slurm up'\n");
    return exit_ok;
  }
  return bring_up(load_cluster(""), true);
}

Run attach_slurm(CLI::App& app) {
  app.require_subcommand(1);
  app.footer(
      "When the cluster is shared, a queue: Slurm on every member, the master its controller.\n\n"
      "Example:\n"
      "  beowulf slurm up          # install, configure, start and prove Slurm\n"
      "  beowulf slurm status      # nodes, states, reasons, the queue\n"
      "  beowulf slurm down --purge");
  auto o = std::make_shared<Options>();

  auto* up = app.add_subcommand("up", "install, configure and start Slurm and munge on the nodes, then prove it");
  up->add_option("-w", o->include, "only these nodes run jobs (names or addresses); the master is the controller")
      ->type_name("NODESET");
  up->add_flag("--no-proof", o->no_proof, "skip the batch job of beowulf-cpi (srun hostname still runs)");
  o->password.attach(*up);
  up->footer(
      "One munge key (the master's) on every node, one slurm.conf from the inventory and each\n"
      "node's slurmd -C, munged, slurmctld on the master, slurmd everywhere; then srun -N<all>\n"
      "hostname and a batch job of beowulf-cpi. Refuses clocks apart by more than munge's\n"
      "time-to-live and UIDs that differ, before changing anything. Run it again: it changes\n"
      "nothing that is right. No password is asked or sent: root steps run with 'sudo -n'\n"
      "('beowulf add' gave the members password-less sudo).\n\n"
      "Example:\n  beowulf slurm up\n  beowulf slurm up -w worker[001-016]");

  auto* status = app.add_subcommand("status", "Slurm's nodes with their states and reasons, and the queue");
  status->footer("Example:\n  beowulf slurm status");

  auto* down = app.add_subcommand("down", "stop what 'slurm up' started (--purge: remove the key and configuration too)");
  down->add_flag("--purge", o->purge, "also remove the munge key, slurm.conf, cgroup.conf and Slurm's state");
  o->password.attach(*down);
  down->footer(
      "No password is asked or sent: root steps run with 'sudo -n'.\n\n"
      "Example:\n  beowulf slurm down\n  beowulf slurm down --purge");

  return [o, up, status, down]() -> int {
    if (up->parsed()) return run_up(*o);
    if (status->parsed()) return run_status();
    if (down->parsed()) return run_down(*o);
    return exit_usage;
  };
}

}  // namespace beowulf::cli
