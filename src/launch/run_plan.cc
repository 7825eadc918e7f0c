#include "launch/run_plan.h"

#include <fmt/core.h>

namespace beowulf::launch {
namespace {

/// The master first, then the workers, as the machine file lists them.
std::vector<const Node*> in_rank_order(const Inventory& inventory) {
  std::vector<const Node*> order;
  if (const Node* master = inventory.master()) order.push_back(master);
  for (const Node* w : inventory.workers()) order.push_back(w);
  return order;
}

}  // namespace

Result<int> rank_count(const Inventory& inventory, int requested) {
  if (requested < 0) return bad_input(fmt::format("-n: {} is not a number of processes", requested), "give -n 1 or more");
  if (requested == 0) return inventory.total_slots();
  return requested;
}

std::vector<Node> nodes_for_ranks(const Inventory& inventory, int ranks) {
  std::vector<Node> nodes;
  int placed = 0;
  for (const Node* node : in_rank_order(inventory)) {
    if (placed >= ranks) break;
    nodes.push_back(*node);
    placed += node->slots;
  }
  return nodes;
}

std::string interface_of(const std::vector<sys::InterfaceAddress>& addresses, Ipv4 address) {
  for (const auto& a : addresses)
    if (a.address == address.str()) return a.interface;
  return {};
}

Subnet cluster_subnet(const Inventory& inventory, const std::vector<sys::InterfaceAddress>& addresses) {
  if (inventory.subnet()) return *inventory.subnet();
  const Node* master = inventory.master();
  if (!master) return Subnet{};
  for (const auto& a : addresses)
    if (a.address == master->address.str()) return subnet_of(master->address, a.prefix);
  return subnet_of(master->address);
}

}  // namespace beowulf::launch
