// beowulf time: the same clock on every board (src/cluster/time_up.h). `time up` sets
// chrony up, the master serving the cluster and the workers following it; `time status`
// shows each node's offset, source and state in one table.

#include <unistd.h>

#include <fmt/core.h>

#include <algorithm>
#include <memory>

#include "cli/command.h"
#include "cli/interrupt.h"
#include "cli/member_options.h"
#include "cli/password_options.h"
#include "cli/report.h"
#include "cluster/members.h"
#include "cluster/time_up.h"
#include "sys/inventory_file.h"
#include "sys/paths.h"

namespace beowulf::cli {
namespace {

struct Options {
  MemberOptions up{.timeout_seconds = 300};      ///< `up`: a node may take 5 minutes (apt-get included)
  MemberOptions status{.timeout_seconds = 10};  ///< `status`: seconds a node may take to answer
  UnneededPasswordOptions password;
};

constexpr const char* kSimNote =
    "virtual cluster: chronyd runs with -x on its boards: it measures offsets but never sets the\n"
    "clock, which the boards share with this machine\n";

/// The inventory and the members -w and -x chose, or the error that stops before any node is asked.
struct Chosen {
  Inventory inventory;
  std::vector<Node> members;
};

Result<Chosen> chosen(const MemberOptions& o) {
  auto inventory = sys::load_inventory(sys::inventory_path());
  if (!inventory.ok()) return inventory.error();
  if (inventory->master() == nullptr)
    return Error{"the cluster has no master yet", {}, "run 'beowulf init' on the master first"};
  auto members = cluster::select_members(*inventory, o.include, o.exclude);
  if (!members.ok()) return members.error();
  return Chosen{std::move(*inventory), std::move(*members)};
}

Result<cluster::TimeOptions> time_options(const MemberOptions& o, int cancel_fd) {
  auto timeout = o.timeout();
  if (!timeout) return timeout.error();
  return cluster::TimeOptions{.fanout = o.fanout, .timeout = *timeout, .cancel_fd = cancel_fd};
}

Result<remote::Ssh> warm_ssh() {
  remote::Ssh ssh;
  if (auto made = remote::ensure_control_dir(ssh.settings().control_dir); !made) return made.error();
  return ssh;
}

void print_up_table(const std::vector<cluster::TimeUpNode>& nodes) {
  std::size_t name_w = 4, address_w = 7;
  for (const auto& n : nodes) {
    name_w = std::max(name_w, n.name.size());
    address_w = std::max(address_w, n.address.size());
  }
  fmt::print("{:<{}}  {:<{}}  {}\n", "NODE", name_w, "ADDRESS", address_w, "RESULT");
  for (const auto& n : nodes) {
    std::string result = "unchanged";
    if (n.error) result = "failed: " + n.error->what;
    else if (!n.result.changes.empty()) {
      result.clear();
      for (const auto& c : n.result.changes) result += (result.empty() ? "" : ", ") + c;
    }
    fmt::print("{:<{}}  {:<{}}  {}\n", n.name, name_w, n.address, address_w, result);
  }
}

int run_up(const Options& o) {
  auto c = chosen(o.up);
  if (!c.ok()) return report(c.error());
  InterruptGuard interrupt;
  auto options = time_options(o.up, interrupt.fd());
  if (!options.ok()) return report(options.error());
  o.password.drop("time up");
  auto ssh = warm_ssh();
  if (!ssh.ok()) return report(ssh.error());

  bool tty = isatty(STDERR_FILENO) == 1;
  if (tty) fmt::print(stderr, "time up: chrony on {} node{}...", c->members.size(), c->members.size() == 1 ? "" : "s");
  auto done = cluster::time_up(c->inventory, c->members, *ssh, *options);
  if (tty) fmt::print(stderr, "\r\x1b[K");
  if (interrupt.interrupted()) {
    fmt::print(stderr, "beowulf: interrupted: run the same 'beowulf time up' again to finish\n");
    return exit_interrupted;
  }
  print_up_table(done);
  int status = exit_ok;
  for (const auto& n : done)
    if (n.error) status = report(*n.error);
  if (status != exit_ok) return status;
  bool changed = std::any_of(done.begin(), done.end(), [](const auto& n) { return !n.result.changes.empty(); });
  if (std::any_of(done.begin(), done.end(), [](const auto& n) { return n.result.sim; })) fmt::print("{}", kSimNote);
  if (!changed) fmt::print("time up: nothing to change: chrony already runs as planned on every node\n");
  else
    fmt::print("time up: the workers follow {} ({}); 'beowulf time status' shows when they have synchronised\n",
               c->inventory.master()->name, c->inventory.master()->address.str());
  return exit_ok;
}

void print_status_table(const std::vector<cluster::TimeRow>& rows) {
  std::size_t name_w = 4, state_w = 5, source_w = 6;
  for (const auto& r : rows) {
    name_w = std::max(name_w, r.name.size());
    state_w = std::max(state_w, r.status ? r.status->state.size() : 4);
    source_w = std::max(source_w, r.status ? r.status->source.size() : 1);
  }
  fmt::print("{:<{}}  {:<{}}  {:<{}}  {}\n", "NODE", name_w, "STATE", state_w, "SOURCE", source_w, "OFFSET");
  for (const auto& r : rows) {
    if (!r.status) {
      fmt::print("{:<{}}  {:<{}}  {:<{}}  -  ({})\n", r.name, name_w, "down", state_w, "-", source_w, r.problem);
      continue;
    }
    std::string offset = r.status->has_offset ? cluster::offset_text(r.status->offset) : "-";
    fmt::print("{:<{}}  {:<{}}  {:<{}}  {}\n", r.name, name_w, r.status->state, state_w, r.status->source, source_w,
               offset);
  }
}

int run_status(const Options& o) {
  auto c = chosen(o.status);
  if (!c.ok()) return report(c.error());
  InterruptGuard interrupt;
  auto options = time_options(o.status, interrupt.fd());
  if (!options.ok()) return report(options.error());
  auto ssh = warm_ssh();
  if (!ssh.ok()) return report(ssh.error());
  auto rows = cluster::read_time(c->members, *ssh, *options);
  if (interrupt.interrupted()) return exit_interrupted;
  print_status_table(rows);
  if (std::any_of(rows.begin(), rows.end(), [](const auto& r) { return r.status && r.status->sim; }))
    fmt::print("{}", kSimNote);
  bool all_ok = std::all_of(rows.begin(), rows.end(), [](const auto& r) { return r.ok(); });
  if (!all_ok) fmt::print(stderr, "hint: 'beowulf time up' sets chrony up; a worker synchronises within a minute\n");
  return all_ok ? exit_ok : exit_failed;
}

}  // namespace

Run attach_time(CLI::App& sub) {
  auto o = std::make_shared<Options>();
  sub.require_subcommand(1);
  sub.footer("Example:\n  beowulf time up\n  beowulf time status");
  auto* up = sub.add_subcommand("up", "chrony on every member: the master serves the cluster, the workers follow it");
  o->up.attach(*up, "seconds a node may take (apt-get included)", 1.0, 86400.0);
  o->password.attach(*up);
  up->footer(
      "On every node at once, as root through 'sudo -n' (no password is asked or sent: 'beowulf\n"
      "add' gave the members password-less sudo): chrony installed\n"
      "where missing (apt-get), /etc/chrony/chrony.conf written (the master: 'local stratum 10'\n"
      "and 'allow SUBNET', so it serves the cluster with no internet; a worker: 'server MASTER\n"
      "iburst' and 'makestep 1 3'), chrony.service restarted when the file changed. The first\n"
      "file is kept as chrony.conf.beowulf-orig. A second run changes nothing and says so.\n"
      "On the virtual cluster chronyd runs with -x: it never sets the clock the boards share\n"
      "with this machine.\n\n"
      "Example:\n  beowulf time up\n  beowulf time up -w worker[001-004]");

  auto* status = sub.add_subcommand("status", "each node's clock: state, source and offset in one table");
  o->status.attach(*status, "seconds a node may take to answer", 0.1);
  status->footer(
      "Asks every node's chronyd (chronyc tracking and sources; no root needed). STATE is\n"
      "'synchronised' (to SOURCE, OFFSET the clock's from it at the last sample), 'serving its\n"
      "own clock' (the master with no upstream), 'not synchronised', 'chronyd not running' or\n"
      "'chrony not installed'. Exit status 0 when every node is synchronised or serving.\n\n"
      "Example:\n  beowulf time status\n  beowulf time status -x worker003 -t 2");
  return [o, up, status] {
    if (up->parsed()) return run_up(*o);
    if (status->parsed()) return run_status(*o);
    return static_cast<int>(exit_usage);
  };
}

}  // namespace beowulf::cli
