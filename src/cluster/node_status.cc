#include "cluster/node_status.h"

#include <fmt/core.h>

#include <algorithm>

#include "cluster/members.h"
#include "cluster/node_command.h"
#include "remote/explain.h"
#include "remote/fan_out.h"

namespace beowulf::cluster {
namespace {

/// A probe that gave no health: why, and whether the node could not be reached at all
/// (no answer in time, or ssh refused, unreachable or closed).
void explain_run(NodeStatus& row, const Node& node, const remote::NodeRun& run, std::chrono::milliseconds timeout) {
  remote::Target target = remote::target_of(node);
  Error e = remote::explain(run, target, {.timeout = timeout});
  row.problem = e.what;
  if (run.outcome.end == remote::EventKind::timed_out) {
    row.down = true;
  } else if (auto failure = remote::ssh_failure(run, target)) {
    using enum remote::SshFailure;
    row.down = failure->failure == refused || failure->failure == unreachable || failure->failure == closed;
  } else if (run.outcome.end == remote::EventKind::exited && run.outcome.signal == 0) {
    row.problem = "status probe: " + e.what;  // the probe's own failure
  }
}

NodeStatus read_run(const Node& node, const remote::NodeRun& run, std::chrono::milliseconds timeout) {
  NodeStatus row{node.name, node.address.str(), std::nullopt, false, {}};
  row.arch = node.arch;
  if (!run.outcome.ok()) {
    explain_run(row, node, run, timeout);
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
  for (std::size_t i = 0; i < nodes.size(); ++i) rows.push_back(read_run(nodes[i], runs[i], options.timeout));
  return rows;
}

}  // namespace beowulf::cluster
