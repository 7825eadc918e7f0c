// `beowulf exec`: a command on every member at once, like pdsh and clush.

#include <fmt/core.h>

#include <memory>
#include <string>
#include <vector>

#include "cli/command.h"
#include "cli/member_options.h"
#include "cli/node_jobs.h"
#include "cli/report.h"
#include "cluster/members.h"
#include "cluster/node_command.h"
#include "sys/inventory_file.h"
#include "sys/paths.h"

namespace beowulf::cli {
namespace {

struct ExecOptions {
  MemberOptions members;
  bool gather = false, json = false;
  std::vector<std::string> command;
};

/// The command words as one line for the remote shell, as pdsh and clush join them:
/// `beowulf exec -- 'ls | wc -l'` pipes on the node.
std::string command_line(const std::vector<std::string>& words) {
  std::string line;
  for (const auto& w : words) line += (line.empty() ? "" : " ") + w;
  return line;
}

int run_exec(const ExecOptions& o) {
  if (o.gather && o.json) return report(bad_input("-b and --json do not go together", "choose one of them"));
  auto timeout = o.members.timeout();
  if (!timeout) return report(timeout.error());
  auto inventory = sys::load_inventory(sys::inventory_path());
  if (!inventory) return report(inventory.error());
  auto members = cluster::select_members(*inventory, o.members.include, o.members.exclude);
  if (!members) return report(members.error());
  if (members->empty()) return report(bad_input("no node left to run on", "check -w and -x"));

  remote::Ssh ssh;
  if (auto made = remote::ensure_control_dir(ssh.settings().control_dir); !made) return report(made.error());
  std::string line = command_line(o.command);
  std::vector<remote::Job> jobs;
  for (const auto& node : *members) jobs.push_back(cluster::command_job(ssh, node, line));

  NodeJobsOptions options;
  options.fanout = o.members.fanout;
  options.timeout = *timeout;
  options.mode = o.json ? OutputMode::json : o.gather ? OutputMode::gathered : OutputMode::lines;
  return run_node_jobs(jobs, options);
}

}  // namespace

Run attach_exec(CLI::App& sub) {
  auto o = std::make_shared<ExecOptions>();
  o->members.attach(sub, "give up on a node after SECONDS (default: never)");
  sub.add_flag("-b", o->gather, "gather identical outputs under one node set, like clush -b and dshbak -c");
  sub.add_flag("--json", o->json, "one JSON object per node: node, end, exit_status, stdout, stderr, seconds");
  sub.add_option("command", o->command, "the command, after --; run by each node's shell")->required();
  sub.footer(
      "Runs on every member (the master too) over the warm ssh connections; each line comes\n"
      "prefixed with its node. Nodes that fail are listed at the end; the exit status is the\n"
      "worst node's (124: timed out, 255: ssh failed).\n\n"
      "Example:\n"
      "  beowulf exec -b -- uname -r\n"
      "  beowulf exec -w worker[001-002] -t 10 -- 'df -h / | tail -1'");
  return [o] { return run_exec(*o); };
}

}  // namespace beowulf::cli
