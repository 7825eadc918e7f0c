#pragma once
// ClusterSync: the half of `add` and `remove` that makes every member agree: gather each
// member's facts, compute the cluster tables, change on each node only what differs,
// then write the master's own files (ssh config, inventory, machine files).

#include <map>
#include <set>
#include <string>
#include <vector>

#include "cluster/cluster_tables.h"
#include "cluster/node_facts.h"
#include "cluster/node_step.h"
#include "cluster/remote_script.h"
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

/// Which nodes receive sudo's password on stdin: `add` sends the boards' password only to
/// the nodes it adds (and gives their user password-less sudo there), never to the
/// master or to members, whose scripts use `sudo -n`.
struct SudoPassword {
  std::string password;
  std::set<std::string> to;  ///< names of the nodes that may receive it
  bool grant = true;         ///< give those nodes' users password-less sudo where sudo needed it
};

/// The job that makes `node`'s files what `changes` says; the password goes on its stdin
/// only when `node` is one of `sudo.to` and the changes need root.
sys::ProcessSpec update_files_job(const remote::Ssh& ssh, const StepNode& node, const NodeChanges& changes,
                                  const SudoPassword& sudo);

/// The master's failure to update its files (`e`) as `command` (add, remove) reports it:
/// where its sudo asked for a password, the hint says how to give it once.
Error master_update_failure(Error e, std::string_view command);

/// Changes on each of `nodes` what differs from `tables` (and its hostname), as step
/// "update files" (update_files_job).
void apply_tables(const std::vector<StepNode*>& nodes, const FactsByName& facts, const ClusterTables& tables,
                  const remote::Ssh& ssh, const remote::FanOutOptions& fan, const SudoPassword& sudo);

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
