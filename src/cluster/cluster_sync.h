#pragma once
// ClusterSync: the half of `add` and `remove` that makes every member agree: gather each
// member's facts, compute the cluster tables, change on each node only what differs,
// then write the master's own files (ssh config, inventory, machine files).

#include <map>
#include <string>
#include <vector>

#include "cluster/cluster_tables.h"
#include "cluster/node_facts.h"
#include "cluster/node_step.h"
#include "core/inventory.h"
#include "remote/fan_out.h"
#include "remote/ssh.h"

namespace beowulf::cluster {

/// Each node's facts by name.
using FactsByName = std::map<std::string, NodeFacts>;

/// Runs gather_script() on `nodes` (key login through `ssh`) under the step name `step`;
/// fills `facts` for those that answer.
void gather_facts(const std::vector<StepNode*>& nodes, const remote::Ssh& ssh, const remote::FanOutOptions& fan,
                  std::string_view step, FactsByName& facts);

/// Changes on each of `nodes` what differs from `tables` (and its hostname), as step
/// "update files"; `password` is sudo's, sent only to a node that needs root.
void apply_tables(const std::vector<StepNode*>& nodes, const FactsByName& facts, const ClusterTables& tables,
                  const remote::Ssh& ssh, const remote::FanOutOptions& fan, const std::string& password);

/// The keys of every member of `inventory` in its order: from `facts` when the node
/// answered, else as the master's own blocks (`master_facts`) record them.
std::vector<MemberKeys> member_keys(const Inventory& inventory, const FactsByName& facts, const NodeFacts& master_facts);

/// Writes the master's files for `inventory` where they differ: the ~/.ssh/config
/// block, ~/.beowulf/cluster.toml, ~/.beowulf/machinefile (MPICH) and hostfile (Open MPI).
Status write_master_files(const Inventory& inventory);

/// Writes ~/.beowulf/machinefile (MPICH) and ~/.beowulf/hostfile (Open MPI) for
/// `inventory` where they differ.
Status write_machine_files(const Inventory& inventory);

/// `inventory` with the master first, then the workers in natural name order
/// (worker2 before worker10): the order does not depend on the order nodes were added in.
Inventory in_name_order(const Inventory& inventory);

/// The inventory's nodes as NamedNodes, in order.
std::vector<NamedNode> named_nodes(const Inventory& inventory);

}  // namespace beowulf::cluster
