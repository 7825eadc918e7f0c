#include "cluster/cluster_sync.h"

#include <fmt/core.h>

#include "cluster/remote_script.h"
#include <algorithm>

#include "core/machine_file.h"
#include "core/nodeset.h"
#include "core/managed_block.h"
#include "sys/atomic_file.h"
#include "sys/inventory_file.h"
#include "sys/paths.h"

namespace beowulf::cluster {
namespace {

/// Writes `content` to `path` unless it holds it already: a second run changes nothing.
Status write_if_changed(const std::string& path, const std::string& content, mode_t mode) {
  if (sys::file_exists(path))
    if (auto now = sys::read_file(path); now.ok() && *now == content) return {};
  return sys::write_file_atomically(path, content, mode);
}

}  // namespace

Inventory in_name_order(const Inventory& inventory) {
  std::vector<Node> nodes = inventory.nodes();
  std::stable_sort(nodes.begin(), nodes.end(), [](const Node& a, const Node& b) {
    if ((a.role == Role::master) != (b.role == Role::master)) return a.role == Role::master;
    return natural_less(a.name, b.name);
  });
  Inventory out = inventory;
  for (const Node& n : inventory.nodes()) out.remove(n.name);
  for (Node& n : nodes) (void)out.put(std::move(n));
  return out;
}

std::vector<NamedNode> named_nodes(const Inventory& inventory) {
  std::vector<NamedNode> out;
  if (const Node* m = inventory.master()) out.push_back({m->name, m->address.str()});
  for (const Node* w : inventory.workers()) out.push_back({w->name, w->address.str()});
  return out;
}

void gather_facts(const std::vector<StepNode*>& nodes, const remote::Ssh& ssh, const remote::FanOutOptions& fan,
                  std::string_view step, FactsByName& facts) {
  run_step(
      nodes, step, fan, [&](StepNode& n) { return ssh.run(n.target, gather_script(n.name())); },
      [&](StepNode& n, const remote::NodeRun& run) -> Status {
        if (!run.outcome.ok()) return remote::explain(run, n.target);
        auto parsed = parse_node_facts(run.out);
        if (!parsed.ok()) return parsed.error();
        facts[n.name()] = std::move(*parsed);
        return {};
      });
}

sys::ProcessSpec update_files_job(const remote::Ssh& ssh, const StepNode& node, const NodeChanges& changes,
                                  const SudoPassword& sudo) {
  SudoAccess access;
  access.password_on_stdin = changes.needs_root() && sudo.to.count(node.name()) > 0;
  if (access.password_on_stdin && sudo.grant) access.grant_to = node.target.user;
  auto spec = ssh.run(node.target, apply_script(changes, access));
  if (access.password_on_stdin) spec.input = sudo.password + "\n";
  return spec;
}

Error master_update_failure(Error e, std::string_view command) {
  if (e.what.find("sudo") != std::string::npos)
    e.hint = fmt::format("the master needs root for its /etc/hosts: run 'sudo -v' on the master, then {} again",
                         command);
  return e;
}

void apply_tables(const std::vector<StepNode*>& nodes, const FactsByName& facts, const ClusterTables& tables,
                  const remote::Ssh& ssh, const remote::FanOutOptions& fan, const SudoPassword& sudo) {
  run_step(
      nodes, "update files", fan,
      [&](StepNode& n) -> std::optional<sys::ProcessSpec> {
        auto known = facts.find(n.name());
        if (known == facts.end()) return std::nullopt;
        auto changes = changes_for(n.name(), known->second, tables);
        if (!changes.ok()) {
          n.fail("update files", changes.error().what, changes.error().hint);
          return std::nullopt;
        }
        if (changes->empty()) return std::nullopt;
        return update_files_job(ssh, n, *changes, sudo);
      },
      [&](StepNode& n, const remote::NodeRun& run) -> Status {
        if (!run.outcome.ok()) return remote::explain(run, n.target);
        return {};
      });
}

std::vector<MemberKeys> member_keys(const Inventory& inventory, const FactsByName& facts, const NodeFacts& master_facts) {
  std::vector<MemberKeys> out;
  for (const auto& node : named_nodes(inventory)) {
    auto known = facts.find(node.name);
    if (known != facts.end())
      out.push_back({node, known->second.user_key, known->second.host_keys});
    else
      out.push_back(keys_from_blocks(node, master_facts.authorized_keys.value_or(""),
                                     master_facts.known_hosts.value_or("")));
  }
  return out;
}

Status write_master_files(const Inventory& inventory) {
  std::string home = sys::home_directory();
  std::vector<ConfigHost> hosts;
  for (const Node* n : inventory.workers()) hosts.push_back({n->name, n->address.str(), n->user});
  std::string config_path = home + "/.ssh/config";
  std::string config;
  if (sys::file_exists(config_path)) {
    auto text = sys::read_file(config_path);
    if (!text.ok()) return text.error();
    config = *text;
  }
  auto new_config = put_block(config, ssh_config_block(hosts, remote::default_control_dir()), "~/.ssh/config");
  if (!new_config.ok()) return new_config.error();
  if (Status s = write_if_changed(config_path, *new_config, 0600); !s.ok()) return s;

  std::string inventory_path = sys::inventory_path();
  auto now = sys::load_inventory(inventory_path);
  if (!now.ok() || !(*now == inventory))
    if (Status s = sys::save_inventory(inventory_path, inventory); !s.ok()) return s;
  return write_machine_files(inventory);
}

Status write_machine_files(const Inventory& inventory) {
  auto entries = machine_entries(inventory, HostBy::name);
  for (auto format : {MachineFileFormat::mpich, MachineFileFormat::openmpi})
    if (Status s = write_if_changed(sys::machine_file_path(format), write_machine_file(entries, format), 0644); !s.ok())
      return s;
  return {};
}

}  // namespace beowulf::cluster
