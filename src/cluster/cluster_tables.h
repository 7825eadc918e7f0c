#pragma once
// ClusterTables: what every node of the cluster must know about every other, as the
// bodies of the managed blocks `add` keeps (`# BEGIN beowulf` ... `# END beowulf`):
// /etc/hosts (every name to its cluster address), authorized_keys (every node's key) and
// known_hosts (every node's host keys under `name,address`); and the master's ssh config.
// Pure: facts in, text out.

#include <string>
#include <string_view>
#include <vector>

#include "cluster/bootstrap_plan.h"
#include "cluster/node_facts.h"
#include "cluster/remote_script.h"

namespace beowulf::cluster {

/// A member and its keys ("TYPE BASE64", no comment).
struct MemberKeys {
  NamedNode node;
  std::string user_key;
  std::vector<std::string> host_keys;
};

/// The lines of each block.
struct ClusterTables {
  std::vector<std::string> hosts;            ///< "198.18.0.11 worker001" per member
  std::vector<std::string> authorized_keys;  ///< "ssh-ed25519 AAAA... worker001" per member: the name is the comment
  std::vector<std::string> known_hosts;      ///< "worker001,198.18.0.11 ssh-ed25519 AAAA..." per member and host key
};

/// The tables for `members`, in their order.
ClusterTables make_tables(const std::vector<MemberKeys>& members);

/// /etc/hosts text without the lines outside the block that map 127.0.1.1 (Debian's
/// `127.0.1.1 linaro-nano`): a node's own name must resolve to its cluster address.
std::string without_stale_loopback(std::string_view hosts);

/// What `name`'s files must become to hold `tables` and its hostname be `name`. Every
/// field is empty when the node is right already, so a second run writes nothing. Fails
/// when a file holds a broken block (put_block's error, naming the file and line).
Result<NodeChanges> changes_for(std::string_view name, const NodeFacts& facts, const ClusterTables& tables);

/// The keys of `node` as the master's blocks record them (its line in the authorized_keys
/// block, its lines in the known_hosts block): for a member that cannot be asked now.
MemberKeys keys_from_blocks(const NamedNode& node, std::string_view authorized_keys, std::string_view known_hosts);

/// A node as the master's ssh config names it.
struct ConfigHost {
  std::string name, address, user;
};

/// The master's ~/.ssh/config block lines: a `Host NAME ADDRESS` section per node (so
/// that ssh to either, as mpiexec does, gets the settings) with its HostName, User and
/// ControlMaster sockets in `control_dir`, persisting 10 minutes.
std::vector<std::string> ssh_config_block(const std::vector<ConfigHost>& hosts, std::string_view control_dir);

}  // namespace beowulf::cluster
