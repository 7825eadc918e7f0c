#include "cluster/remove.h"

#include <fmt/core.h>

#include <algorithm>

#include "cluster/cluster_sync.h"
#include "cluster/remote_script.h"
#include "core/managed_block.h"
#include "core/suggest.h"
#include "sys/inventory_file.h"
#include "sys/paths.h"

namespace beowulf::cluster {
namespace {

remote::Ssh key_ssh() {
  remote::SshOptions o;
  return remote::Ssh(o);
}

/// Removes the beowulf blocks from the nodes' authorized_keys and known_hosts.
void revoke(std::vector<StepNode>& nodes, const remote::Ssh& ssh, const remote::FanOutOptions& fan) {
  FactsByName facts;
  gather_facts(pointers(nodes), ssh, fan, "revoke", facts);
  run_step(
      pointers(nodes), "revoke", fan,
      [&](StepNode& n) -> std::optional<sys::ProcessSpec> {
        const NodeFacts& f = facts.at(n.name());
        NodeChanges changes;
        changes.read = {f.etc_hostname, f.etc_hosts, f.authorized_keys, f.known_hosts};
        auto keys = remove_block(f.authorized_keys.value_or(""), "~/.ssh/authorized_keys");
        auto known = remove_block(f.known_hosts.value_or(""), "~/.ssh/known_hosts");
        if (!keys.ok() || !known.ok()) {
          const Error& e = keys.ok() ? known.error() : keys.error();
          n.fail("revoke", e.what, e.hint);
          return std::nullopt;
        }
        if (*keys != f.authorized_keys.value_or("")) changes.authorized_keys = *keys;
        if (*known != f.known_hosts.value_or("")) changes.known_hosts = *known;
        if (changes.empty()) return std::nullopt;
        return ssh.run(n.target, apply_script(changes));
      },
      [&](StepNode& n, const remote::NodeRun& run) -> Status {
        if (!run.outcome.ok()) return remote::explain(run, n.target);
        return {};
      });
}

}  // namespace

Result<std::vector<std::string>> check_remove(const std::vector<std::string>& nodes) {
  auto inventory = sys::load_inventory(sys::inventory_path());
  if (!inventory.ok()) return inventory.error();
  std::vector<std::string> names, known;
  for (const Node& n : inventory->nodes()) known.push_back(n.name);
  for (const auto& wanted : nodes) {
    const Node* node = inventory->find(wanted);
    if (node == nullptr)
      if (auto address = parse_ipv4(wanted); address.ok()) node = inventory->find(*address);
    if (node == nullptr) {
      auto guess = closest(wanted, known);
      return bad_input(fmt::format("'{}' is not a member of the cluster", wanted),
                       guess ? fmt::format("did you mean '{}'?", *guess) : "'beowulf machinefile' lists the members");
    }
    if (node->role == Role::master)
      return bad_input(fmt::format("{} is the master: it cannot be removed", node->label()));
    if (std::find(names.begin(), names.end(), node->name) == names.end()) names.push_back(node->name);
  }
  if (names.empty()) return bad_input("no node to remove", "example: beowulf remove worker[002-003]");
  return names;
}

Result<RemoveReport> remove_nodes(const RemoveOptions& options) {
  auto names = check_remove(options.nodes);
  if (!names.ok()) return names.error();
  auto inventory = sys::load_inventory(sys::inventory_path());
  if (!inventory.ok()) return inventory.error();
  remote::FanOutOptions fan{options.fanout, options.timeout, options.cancel_fd, nullptr, options.transport};
  remote::Ssh ssh = key_ssh();
  if (Status s = remote::ensure_control_dir(remote::default_control_dir()); !s.ok()) return s.error();

  RemoveReport report;
  std::vector<StepNode> leaving;
  Inventory after = *inventory;
  for (const auto& name : *names) {
    leaving.push_back(StepNode{remote::target_of(*inventory->find(name))});
    after.remove(name);
  }
  if (options.revoke) revoke(leaving, ssh, fan);
  for (const auto& n : leaving) report.removed.push_back({n.name(), n.target.address, n.error});

  std::vector<StepNode> members;
  members.push_back(StepNode{remote::target_of(*after.master())});  // runs its steps here
  for (const Node* w : after.workers()) members.push_back(StepNode{remote::target_of(*w)});
  FactsByName facts;
  gather_facts(pointers(members), ssh, fan, "gather", facts);
  if (!members.front().ok()) return *members.front().error;
  auto tables = make_tables(member_keys(after, facts, facts.at(after.master()->name)));
  apply_tables(pointers(members), facts, tables, ssh, fan, {});  // no password: sudo -n everywhere
  if (!members.front().ok()) return master_update_failure(*members.front().error, "remove");
  for (std::size_t i = 1; i < members.size(); ++i)
    if (!members[i].ok()) report.failures.push_back(*members[i].error);
  if (Status s = write_master_files(after); !s.ok()) return s.error();
  return report;
}

}  // namespace beowulf::cluster
