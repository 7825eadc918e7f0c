#include "cluster/node_status.h"

#include <fmt/core.h>

#include <algorithm>

#include "cluster/members.h"
#include "cluster/node_command.h"
#include "remote/fan_out.h"

namespace beowulf::cluster {
namespace {

std::string last_line(std::string_view text) {
  while (!text.empty() && text.back() == '\n') text.remove_suffix(1);
  std::size_t start = text.rfind('\n');
  return std::string(start == std::string_view::npos ? text : text.substr(start + 1));
}

/// Why a probe that exited non-zero gave no health; sets `row.down` when ssh could not
/// reach the node at all.
void explain_exit(NodeStatus& row, const Node& node, const remote::NodeRun& run, const remote::Ssh& ssh) {
  if (node.role != Role::master)
    if (auto failure = ssh.explain_failure(ssh_target(node), node.label(), run.outcome.exit_code, run.err)) {
      using enum remote::SshFailure;
      row.down = failure->failure == refused || failure->failure == unreachable || failure->failure == closed;
      row.problem = failure->error.what;
      return;
    }
  std::string line = last_line(run.err);
  if (line.empty()) line = fmt::format("exit status {}", run.outcome.exit_code);
  row.problem = fmt::format("status probe: {}", line);
}

NodeStatus read_run(const Node& node, const remote::NodeRun& run, const remote::Ssh& ssh,
                    std::chrono::milliseconds timeout) {
  NodeStatus row{node.name, node.address.str(), std::nullopt, false, {}};
  row.arch = node.arch;
  switch (run.outcome.end) {
    case remote::EventKind::timed_out:
      row.down = true;
      row.problem = fmt::format("no answer within {}", seconds_text(timeout));
      return row;
    case remote::EventKind::could_not_start:
      row.problem = run.outcome.reason;
      return row;
    case remote::EventKind::cancelled:
      row.problem = "interrupted";
      return row;
    default:
      break;
  }
  if (run.outcome.exit_code != 0) {
    explain_exit(row, node, run, ssh);
    return row;
  }
  auto health = parse_node_health(run.out);
  if (health.ok()) row.health = std::move(*health);
  else row.problem = health.error().what;
  return row;
}

}  // namespace

Result<remote::Ssh> status_ssh(const StatusOptions& options) {
  remote::SshOptions o;
  if (Status made = remote::ensure_control_dir(remote::default_control_dir()); !made.ok()) return made.error();
  auto seconds = std::chrono::ceil<std::chrono::seconds>(options.timeout);
  o.connect_timeout = std::max(seconds, std::chrono::seconds(1));
  return remote::Ssh(o);
}

std::vector<NodeStatus> probe_nodes(const std::vector<Node>& nodes, const remote::Ssh& ssh,
                                    const StatusOptions& options) {
  const std::string script = probe_script();
  std::vector<remote::Job> jobs;
  for (const Node& n : nodes) jobs.push_back(command_job(ssh, n, script));
  remote::FanOut fan({.fanout = options.fanout, .timeout = options.timeout, .cancel_fd = options.cancel_fd});
  auto runs = fan.collect(jobs);
  std::vector<NodeStatus> rows;
  for (std::size_t i = 0; i < nodes.size(); ++i) rows.push_back(read_run(nodes[i], runs[i], ssh, options.timeout));
  return rows;
}

}  // namespace beowulf::cluster
