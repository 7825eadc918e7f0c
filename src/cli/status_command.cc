// beowulf status: one table of every member's health, gathered at once
// (src/cluster/node_status.h); --watch redraws it in place until Ctrl-C.

#include <poll.h>
#include <unistd.h>

#include <fmt/core.h>

#include <chrono>
#include <ctime>
#include <memory>

#include "cli/command.h"
#include "cli/member_options.h"
#include "cli/interrupt.h"
#include "cli/report.h"
#include "cli/status_table.h"
#include "cli/style.h"
#include "cluster/members.h"
#include "cluster/node_status.h"
#include "sys/inventory_file.h"
#include "sys/paths.h"

namespace beowulf::cli {
namespace {

struct Options {
  MemberOptions members{.timeout_seconds = 3};  ///< -w, -x, -f/--fanout, -t/--timeout
  double watch = 0;         ///< seconds between redraws; 0: once
  bool json = false;
  std::string inventory;    ///< empty: ~/.beowulf/cluster.toml
};

std::chrono::milliseconds milliseconds(double seconds) {
  return std::chrono::milliseconds(static_cast<long long>(seconds * 1000));
}

/// The members to probe, or the error that stops before any node is asked; `planned`
/// gets the planned nodes (not asked: shown as planned) when no -w narrows the choice.
Result<std::vector<Node>> chosen_members(const Options& o, std::vector<cluster::NodeStatus>& planned) {
  std::string path = o.inventory.empty() ? sys::inventory_path() : o.inventory;
  auto inventory = sys::load_inventory(path);
  if (!inventory.ok()) return inventory.error();
  auto members = cluster::select_members(*inventory, o.members.include, o.members.exclude);
  if (members.ok() && members->empty())
    return Error{"the cluster has no nodes yet", {}, "run 'beowulf init' on the master first"};
  if (o.members.include.empty() && o.members.exclude.empty())
    for (const Node* p : cluster::planned_of(*inventory))
      planned.push_back({.name = p->name, .address = p->address.str(), 
                         .problem = "not yet added: beowulf add --planned", .planned = true});
  return members;
}

std::string rendered(const std::vector<cluster::NodeStatus>& rows, const Options& o) {
  return o.json ? status_json(rows) : status_table(rows, colour_enabled(stdout));
}

/// watch(1)'s title line: the interval, the command, the time.
std::string watch_title(const Options& o) {
  char now[32];
  std::time_t t = std::time(nullptr);
  std::strftime(now, sizeof now, "%a %b %e %H:%M:%S %Y", std::localtime(&t));
  std::string command = "beowulf status";
  if (!o.members.include.empty()) command += " -w " + o.members.include;
  if (!o.members.exclude.empty()) command += " -x " + o.members.exclude;
  return fmt::format("Every {:g}s: {}    {}\n\n", o.watch, command, now);
}

/// Waits until `deadline` or Ctrl-C, whichever comes first; false on Ctrl-C.
bool wait_until(std::chrono::steady_clock::time_point deadline, const InterruptGuard& interrupt) {
  while (!interrupt.interrupted()) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return true;
    pollfd p{interrupt.fd(), POLLIN, 0};
    poll(&p, 1, static_cast<int>(left.count()));
  }
  return false;
}

/// Redraws every `o.watch` seconds: in place on a terminal (as watch(1) does), one
/// table after another elsewhere. Ends only with Ctrl-C.
int watch(const Options& o, const std::vector<Node>& members, const std::vector<cluster::NodeStatus>& planned,
          const remote::Ssh& ssh,
          const cluster::StatusOptions& options, const InterruptGuard& interrupt) {
  bool in_place = isatty(STDOUT_FILENO) == 1 && !o.json;
  while (true) {
    auto next = std::chrono::steady_clock::now() + milliseconds(o.watch);
    auto rows = cluster::probe_nodes(members, ssh, options);
    rows.insert(rows.end(), planned.begin(), planned.end());
    if (interrupt.interrupted()) break;
    std::string frame = rendered(rows, o);
    if (!o.json) frame = watch_title(o) + frame;
    if (in_place) frame = drawn_in_place(frame);
    else if (!o.json) frame += "\n";
    fmt::print("{}", frame);
    std::fflush(stdout);
    if (!wait_until(next, interrupt)) break;
  }
  return exit_interrupted;
}

int run_status(const Options& o) {
  std::vector<cluster::NodeStatus> planned;
  auto members = chosen_members(o, planned);
  if (!members.ok()) return report(members.error());
  auto timeout = o.members.timeout();
  if (!timeout.ok()) return report(timeout.error());
  InterruptGuard interrupt;
  cluster::StatusOptions options{.timeout = *timeout, .fanout = o.members.fanout, .cancel_fd = interrupt.fd()};
  auto ssh = cluster::status_ssh(options);
  if (!ssh.ok()) return report(ssh.error());
  if (o.watch > 0) return watch(o, *members, planned, *ssh, options, interrupt);

  auto rows = cluster::probe_nodes(*members, *ssh, options);
  rows.insert(rows.end(), planned.begin(), planned.end());
  if (interrupt.interrupted()) return exit_interrupted;
  fmt::print("{}", rendered(rows, o));
  for (const auto& row : rows)
    if (!row.health && !row.planned) return exit_failed;
  return exit_ok;
}

}  // namespace

Run attach_status(CLI::App& sub) {
  auto o = std::make_shared<Options>();
  o->members.attach(sub, "seconds a node may take to answer before its row says down", 0.1);
  sub.add_option("--watch", o->watch, "redraw every SECONDS, in place, until Ctrl-C")
      ->type_name("SECONDS")
      ->check(CLI::Range(0.1, 86400.0));
  sub.add_flag("--json", o->json, "one JSON object per node, one per line, instead of the table");
  sub.add_option("--inventory", o->inventory, "the inventory to read (default: ~/.beowulf/cluster.toml)")
      ->type_name("FILE");
  sub.footer(
      "Asks every member at once over the warm ssh connections (the master itself locally):\n"
      "uptime, 1-minute load, cores, memory, free space on /, temperature (thermal zones or\n"
      "a Parallella's XADC; '-' when the board has none) and the MPI behind mpiexec. Values\n"
      "past a limit end in '!' (red on a terminal): load above the cores, under 10% of / free,\n"
      "above 70 C. A node that does not answer within --timeout is a row saying why.\n"
      "Exit status: 0 when every node answered, 1 otherwise, 130 after Ctrl-C.\n\n"
      "Example:\n"
      "  beowulf status\n"
      "  beowulf status -w worker[001-004] --watch 2");
  return [o] { return run_status(*o); };
}

}  // namespace beowulf::cli
