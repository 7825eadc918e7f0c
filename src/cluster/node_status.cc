#include "cluster/node_status.h"

#include <fmt/core.h>

#include <algorithm>
#include <set>

#include "core/suggest.h"
#include "remote/fan_out.h"

namespace beowulf::cluster {
namespace {

const Node* find_member(const Inventory& inventory, const std::string& name_or_address) {
  if (const Node* n = inventory.find(name_or_address)) return n;
  auto address = parse_ipv4(name_or_address);
  return address.ok() ? inventory.find(*address) : nullptr;
}

Error unknown_member(const Inventory& inventory, const std::string& name, std::string_view file) {
  std::vector<std::string> names;
  NodeSet members;
  for (const Node& n : inventory.nodes()) {
    names.push_back(n.name);
    if (auto one = NodeSet::parse(n.name); one.ok()) members = members | *one;
  }
  std::string hint;
  if (auto guess = closest(name, names)) hint = fmt::format("did you mean '{}'?", *guess);
  else if (!members.empty()) hint = fmt::format("the members are {}", members.fold());
  return bad_input(fmt::format("no node '{}' in {}", name, file), hint);
}

std::string last_line(std::string_view text) {
  while (!text.empty() && text.back() == '\n') text.remove_suffix(1);
  std::size_t start = text.rfind('\n');
  return std::string(start == std::string_view::npos ? text : text.substr(start + 1));
}

/// Why a probe that exited non-zero gave no health; sets `row.down` when ssh could not
/// reach the node at all.
void explain_exit(NodeStatus& row, const Node& node, const remote::NodeRun& run, const remote::Ssh& ssh) {
  if (node.role != Role::master)
    if (auto failure = ssh.explain_failure({node.user, row.address}, node.label(), run.outcome.exit_code, run.err)) {
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
  switch (run.outcome.end) {
    case remote::EventKind::timed_out:
      row.down = true;
      row.problem = fmt::format("no answer within {:g} s", static_cast<double>(timeout.count()) / 1000);
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

Result<std::vector<Node>> select_members(const Inventory& inventory, const NodeSet& selection,
                                         std::string_view inventory_file) {
  std::set<std::string> chosen;
  for (const std::string& name : selection.expand()) {
    const Node* node = find_member(inventory, name);
    if (node == nullptr) return unknown_member(inventory, name, inventory_file);
    chosen.insert(node->name);
  }
  std::vector<Node> out;
  for (const Node& n : inventory.nodes())
    if (selection.empty() || chosen.contains(n.name)) out.push_back(n);
  return out;
}

Result<remote::Ssh> status_ssh(const StatusOptions& options) {
  remote::SshOptions o;
  if (Status made = remote::ensure_control_dir(remote::default_control_dir());
      !made.ok())
    return made.error();
  auto seconds = std::chrono::ceil<std::chrono::seconds>(options.timeout);
  o.connect_timeout = std::max(seconds, std::chrono::seconds(1));
  return remote::Ssh(o);
}

std::vector<NodeStatus> probe_nodes(const std::vector<Node>& nodes, const remote::Ssh& ssh,
                                    const StatusOptions& options) {
  const std::string script = probe_script();
  std::vector<remote::Job> jobs;
  for (const Node& n : nodes) {
    if (n.role == Role::master) jobs.push_back({n.name, sys::ProcessSpec{.argv = {"sh", "-c", script}}});
    else jobs.push_back({n.name, ssh.run({n.user, n.address.str()}, script)});
  }
  remote::FanOut fan({.fanout = options.fanout, .timeout = options.timeout, .cancel_fd = options.cancel_fd});
  auto runs = fan.collect(jobs);
  std::vector<NodeStatus> rows;
  for (std::size_t i = 0; i < nodes.size(); ++i) rows.push_back(read_run(nodes[i], runs[i], ssh, options.timeout));
  return rows;
}

}  // namespace beowulf::cluster
