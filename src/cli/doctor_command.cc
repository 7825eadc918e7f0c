// `beowulf doctor`: every check on every node at once, in the user's terms, with fixes.

#include <fmt/core.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "cli/command.h"
#include "cli/interrupt.h"
#include "cli/password_options.h"
#include "cli/member_options.h"
#include "cli/report.h"
#include "cluster/add.h"
#include "cluster/doctor.h"
#include "cluster/doctor_checks.h"
#include "cluster/doctor_report.h"
#include "cluster/members.h"
#include "core/machine_file.h"
#include "core/printable.h"
#include "launch/program_sync.h"
#include "remote/ssh.h"
#include "slurm/slurm_doctor.h"
#include "sys/inventory_file.h"
#include "sys/password_input.h"
#include "sys/paths.h"
#include "sys/process.h"

namespace beowulf::cli {
namespace {

struct DoctorCliOptions {
  std::string machine_file, program;
  MemberOptions members{.timeout_seconds = 8};  ///< -w, -x, -f/--fanout, -t/--timeout
  bool fix = false, yes = false, json = false, no_cpi = false;
  PasswordOptions password;
};

/// The addresses whose fix is exactly `beowulf add ADDRESS` (hosts blocks, names, keys
/// that could not be put back without the password), in order, once each.
std::vector<std::string> readd_addresses(const std::vector<cluster::Finding>& findings) {
  std::vector<std::string> addresses;
  for (const auto& f : findings) {
    if (f.verdict != cluster::Verdict::fail || !f.safe_fix.script.empty() || f.fix.kind != cluster::Fix::Kind::add) continue;
    const std::string& address = f.fix.argument;
    if (std::find(addresses.begin(), addresses.end(), address) == addresses.end()) addresses.push_back(address);
  }
  return addresses;
}

/// What went wrong in an add, one line each: the workflow's error or each node's.
std::string add_failures(const Result<cluster::AddReport>& done) {
  if (!done.ok()) return done.error().message() + "\n";
  std::string out;
  for (const auto& n : done->nodes)
    if (n.error) out += n.error->message() + "\n";
  return out;
}

/// --fix's second part: the add workflow again for those nodes (it asks the boards'
/// password once and rewrites their hosts blocks, keys and known_hosts). False when it
/// failed. It runs in this process with doctor's interrupt fd as its cancel fd, as `beowulf
/// add` runs it: Ctrl-C (SIGTERM, SIGHUP) kills the process group of every job of the step
/// it is in, and the fd stays readable, so every later step ends at once too.
bool readd(const std::vector<std::string>& addresses, const DoctorCliOptions& o, const InterruptGuard& interrupt) {
  std::string list;
  for (const auto& a : addresses) list += (list.empty() ? "" : " ") + a;
  if (!o.yes) {
    std::fprintf(stderr, "run `beowulf add %s` (the boards' password; it rewrites their hosts blocks, keys and "
                         "known_hosts)? [y/N] ", list.c_str());
    std::string answer;
    if (!std::getline(std::cin, answer) || (answer != "y" && answer != "Y" && answer != "yes")) return true;
  }
  auto password = o.password.read("password of the boards: ");
  if (!password) {
    report(password.error());
    return false;
  }
  cluster::AddOptions add{.addresses = addresses, .password = std::move(*password), .cancel_fd = interrupt.fd()};
  sys::WipeWhenDone wipe_password(add.password);
  sys::wipe(*password);
  auto done = cluster::add_nodes(add, {});
  if (interrupt.interrupted()) {
    std::cerr << fmt::format("interrupted: beowulf add {} was stopped\n", list);
    return false;
  }
  std::string failures = add_failures(done);
  std::cerr << (failures.empty() ? fmt::format("fixed: beowulf add {}\n", list)
                                 : fmt::format("could not fix: beowulf add {}: {}", list, printable(failures)));
  return failures.empty();
}

/// The cpi check: `beowulf run beowulf-cpi` on every slot, as the user would run it.
cluster::Finding run_cpi() {
  if (!launch::resolve_program("beowulf-cpi"))
    return cluster::skipped("cpi", "cluster", "beowulf-cpi is not on the PATH (it comes with beowulf)");
  constexpr int kLimitSeconds = 60;
  auto r = sys::run({.argv = {"/proc/self/exe", "run", "beowulf-cpi"}, .timeout = std::chrono::seconds(kLimitSeconds)});
  if (!r.ok()) return cluster::cpi_finding_of(r.error().message(), false, false, kLimitSeconds);
  return cluster::cpi_finding_of(r->out + r->err, r->ok(), r->timed_out, kLimitSeconds);
}

nlohmann::json as_json(const std::vector<cluster::Finding>& findings, std::chrono::milliseconds took) {
  nlohmann::json checks = nlohmann::json::array();
  for (const auto& check : cluster::all_checks()) {
    auto verdict = cluster::check_verdict(findings, check.id);
    if (!verdict) continue;
    nlohmann::json items = nlohmann::json::array();
    for (const auto& f : findings)
      if (f.check == check.id)
        items.push_back({{"subject", f.subject}, {"verdict", cluster::verdict_name(f.verdict)},
                         {"evidence", f.evidence}, {"fix", f.fix.line()}});
    checks.push_back({{"id", check.id}, {"verdict", cluster::verdict_name(*verdict)}, {"findings", items}});
  }
  auto s = cluster::summarize(findings);
  return {{"checks", checks},
          {"summary", {{"ok", s.ok}, {"warn", s.warn}, {"fail", s.fail}, {"skipped", s.skipped}}},
          {"seconds", static_cast<double>(took.count()) / 1000.0}};
}

/// Slurm's checks (src/slurm/slurm_doctor.h) as doctor findings, after the others.
void add_slurm_findings(std::vector<cluster::Finding>& findings, const cluster::DoctorOptions& options,
                        const remote::Ssh& ssh) {
  for (auto& f : slurm::slurm_doctor(options.nodes, ssh, options.fanout, options.timeout, options.cancel_fd))
    findings.push_back({.check = f.check,
                        .subject = f.subject,
                        .verdict = f.skipped ? cluster::Verdict::skipped
                                   : f.ok        ? cluster::Verdict::ok
                                                 : cluster::Verdict::fail,
                        .evidence = f.evidence,
                        .fix = f.fix});
}

bool ask_user(const cluster::Finding& f) {
  std::fprintf(stderr, "%s: %s\napply `%s`? [y/N] ", f.subject.c_str(), f.evidence.c_str(), f.fix.line().c_str());
  std::string answer;
  if (!std::getline(std::cin, answer)) return false;
  return answer == "y" || answer == "Y" || answer == "yes";
}

int run_doctor(const DoctorCliOptions& o) {
  auto timeout = o.members.timeout();
  if (!timeout) return report(timeout.error());
  if (timeout->count() <= 0) return report(bad_input("-t: the timeout must be positive"));
  auto inventory = sys::load_inventory(sys::inventory_path());
  if (!inventory) return report(inventory.error());
  const Node* master = inventory->master();
  if (!master) return report(bad_input("this cluster has no master yet", "run `beowulf init` first"));
  auto members = cluster::select_members(*inventory, o.members.include, o.members.exclude);
  if (!members) return report(members.error());

  cluster::DoctorOptions options;
  options.nodes.push_back(*master);  // the master always: its logins and MPI are the reference
  for (const auto& n : *members)
    if (n.role != Role::master) options.nodes.push_back(n);
  options.machine_file = o.machine_file.empty() ? sys::machine_file_path(MachineFileFormat::mpich) : o.machine_file;
  options.program = o.program;
  options.timeout = *timeout;
  options.fanout = o.members.fanout;
  bool every_node = o.members.include.empty() && o.members.exclude.empty();
  if (!o.no_cpi && every_node) options.cpi = run_cpi;
  InterruptGuard interrupt;
  options.cancel_fd = interrupt.fd();

  remote::Ssh ssh;
  if (auto made = remote::ensure_control_dir(ssh.settings().control_dir); !made) return report(made.error());
  auto once = [&] {
    auto start = std::chrono::steady_clock::now();
    auto findings = cluster::run_doctor(*inventory, options, ssh);
    if (slurm::slurm_configured()) add_slurm_findings(findings, options, ssh);
    auto took = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
    if (o.json) std::cout << as_json(findings, took).dump() << "\n";
    else std::cout << cluster::format_findings(findings) << cluster::format_summary(findings, options.nodes.size(), took);
    std::cout.flush();
    return findings;
  };
  auto findings = once();
  if (interrupt.interrupted()) return exit_interrupted;
  if (!o.fix || cluster::exit_status(findings) == 0) return cluster::exit_status(findings);

  auto fixes = cluster::apply_safe_fixes(*inventory, findings, ssh, options.timeout,
                                         [&](const cluster::Finding& f) { return o.yes || ask_user(f); });
  for (const auto& f : fixes)
    std::cerr << (f.ok ? fmt::format("fixed: {} on {}\n", f.check, f.node)
                       : fmt::format("could not fix {} on {}: {}\n", f.check, f.node, f.detail));
  auto addresses = readd_addresses(findings);
  if (!addresses.empty()) readd(addresses, o, interrupt);
  if (interrupt.interrupted()) return exit_interrupted;
  if (fixes.empty() && addresses.empty()) {
    std::cerr << "nothing doctor can fix by itself: see the fix: lines\n";
    return cluster::exit_status(findings);
  }
  std::cerr << "checking again after the fixes:\n";
  return cluster::exit_status(once());
}

}  // namespace

Run attach_doctor(CLI::App& sub) {
  auto o = std::make_shared<DoctorCliOptions>();
  sub.add_option("--machinefile", o->machine_file, "check this machine file (default: ~/.beowulf/machinefile)")
      ->type_name("FILE");
  sub.add_option("--program", o->program, "check that PATH is the same file on every node")->type_name("PATH");
  o->members.attach(sub, "give up on a node after SECONDS");
  sub.add_flag("--fix", o->fix,
               "apply the safe fixes (modes, missing keys, known_hosts entries; after asking, `beowulf add` "
               "again for hosts blocks and names), then check again");
  sub.add_flag("--yes", o->yes, "with --fix: do not ask before a fix that needs asking");
  o->password.attach(sub);
  sub.add_flag("--json", o->json, "one JSON object: checks, their findings and a summary");
  sub.add_flag("--no-cpi", o->no_cpi, "do not run beowulf-cpi at the end");
  sub.footer(
      "Checks: machinefile, reach, ssh-master-to-node, ssh-node-to-master, ssh-node-to-node, names,\n"
      "host-keys, mpi, ports (TCP port 47123, a listener the probe starts with perl, at most 30 s),\n"
      "interfaces, clock, disk, program (with --program), cpi. One line per check and node:\n"
      "✔ works, ! works but worth fixing, ✘ broken (with a fix: line to paste), - skipped\n"
      "because a check it needs failed. Exit status 1 when anything failed. With -w or -x the\n"
      "master is checked too (its logins and MPI are the reference) and cpi does not run.\n\n"
      "Example:\n"
      "  beowulf doctor\n"
      "  beowulf doctor -x worker003 -t 4\n"
      "  beowulf doctor --fix --program ~/bin/primes");
  return [o] { return run_doctor(*o); };
}

}  // namespace beowulf::cli
