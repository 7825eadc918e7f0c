#pragma once
// Members: the nodes a command acts on, chosen as pdsh and clush choose them: every
// member of the inventory, or those `-w NODESET` names, less those `-x NODESET` names.
// A node is named by its name (worker002) or its address (198.18.0.12).

#include <string_view>
#include <vector>

#include "core/inventory.h"
#include "core/result.h"

namespace beowulf::cluster {

/// The members: the master and the workers that are not planned, in inventory order.
/// Every command that acts on the cluster acts on these.
std::vector<const Node*> members_of(const Inventory& inventory);

/// The planned nodes: cards beowulf wrote that `add` has not yet made members.
std::vector<const Node*> planned_of(const Inventory& inventory);

/// The members `include` selects (all of them when it is empty) less those `exclude`
/// names, in inventory order. Fails (bad input, nothing run) on a malformed node set or
/// one naming a node that is not a member: "-w: worker009 is not a member of the
/// cluster" (hint: "did you mean 'worker001'?" or the members, folded).
Result<std::vector<Node>> select_members(const Inventory& inventory, std::string_view include,
                                         std::string_view exclude);

}  // namespace beowulf::cluster
