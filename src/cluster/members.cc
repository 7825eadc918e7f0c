#include "cluster/members.h"

#include <fmt/core.h>

#include <algorithm>

#include "core/nodeset.h"
#include "core/suggest.h"

namespace beowulf::cluster {
namespace {

const Node* find_member(const Inventory& inventory, const std::string& name) {
  if (const Node* n = inventory.find(name)) return n;
  if (auto address = parse_ipv4(name); address.ok()) return inventory.find(*address);
  return nullptr;
}

Error not_a_member(std::string_view option, const std::string& name, const Inventory& inventory) {
  std::vector<std::string> names;
  for (const Node* n : members_of(inventory)) names.push_back(n->name);
  std::string hint;
  if (auto guess = closest(name, names)) {
    hint = fmt::format("did you mean '{}'?", *guess);
  } else {
    std::string all;
    for (const auto& n : names) all += (all.empty() ? "" : ",") + n;
    hint = fmt::format("the members are {}", NodeSet::parse(all).value().fold());
  }
  return bad_input(fmt::format("{}: {} is not a member of the cluster", option, name), hint);
}

/// The names of the members `text` names; fails on a malformed set or a stranger.
Result<std::vector<std::string>> named(const Inventory& inventory, std::string_view option, std::string_view text) {
  auto set = NodeSet::parse(text);
  if (!set.ok()) return bad_input(fmt::format("{}: {}", option, set.error().what), set.error().hint);
  std::vector<std::string> names;
  for (const auto& name : set->expand()) {
    const Node* node = find_member(inventory, name);
    if (!node) return not_a_member(option, name, inventory);
    if (node->planned)
      return bad_input(fmt::format("{}: {} is planned, not yet a member of the cluster", option, node->name),
                       "make it one with 'beowulf add --planned' once its board is up");
    names.push_back(node->name);
  }
  return names;
}

bool holds(const std::vector<std::string>& names, const std::string& name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

}  // namespace

std::vector<const Node*> members_of(const Inventory& inventory) {
  std::vector<const Node*> out;
  for (const Node& node : inventory.nodes())
    if (!node.planned) out.push_back(&node);
  return out;
}

std::vector<const Node*> planned_of(const Inventory& inventory) {
  std::vector<const Node*> out;
  for (const Node& node : inventory.nodes())
    if (node.planned) out.push_back(&node);
  return out;
}

Result<std::vector<Node>> select_members(const Inventory& inventory, std::string_view include,
                                         std::string_view exclude) {
  auto included = named(inventory, "-w", include);
  if (!included.ok()) return included.error();
  auto excluded = named(inventory, "-x", exclude);
  if (!excluded.ok()) return excluded.error();
  bool everyone = include.find_first_not_of(" \t") == std::string_view::npos;
  std::vector<Node> members;
  for (const Node* node : members_of(inventory)) {
    if ((everyone || holds(*included, node->name)) && !holds(*excluded, node->name)) members.push_back(*node);
  }
  return members;
}


}  // namespace beowulf::cluster
