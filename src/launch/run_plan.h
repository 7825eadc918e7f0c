#pragma once
// RunPlan: the pure decisions of `beowulf run`: how many ranks, which nodes they land on
// (the master first, each node filled to its slots, as the machine file orders them),
// and which local interface is the cluster's (for hydra's -iface).

#include <string>
#include <vector>

#include "core/inventory.h"
#include "core/result.h"
#include "sys/interfaces.h"

namespace beowulf::launch {

/// `requested` ranks (0: every slot of the cluster). Fails (bad input) when negative.
Result<int> rank_count(const Inventory& inventory, int requested);

/// The nodes the first `ranks` ranks land on: the master, then the workers in inventory
/// order, each taking as many ranks as its slots; every node when ranks exceed the slots.
std::vector<Node> nodes_for_ranks(const Inventory& inventory, int ranks);

/// The name of the local interface that holds `address` ("eth0"); empty when none does.
std::string interface_of(const std::vector<sys::InterfaceAddress>& addresses, Ipv4 address);

/// The cluster's subnet: the inventory's, else the /prefix of the master's interface, else
/// the master's /24.
Subnet cluster_subnet(const Inventory& inventory, const std::vector<sys::InterfaceAddress>& addresses);

}  // namespace beowulf::launch
