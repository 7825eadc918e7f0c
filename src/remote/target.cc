#include "remote/target.h"

#include <fmt/core.h>

namespace beowulf::remote {

std::string Target::label() const { return fmt::format("{} ({})", name, address); }

Target target_of(const Node& node) {
  return {node.name, node.address.str(), node.user, 22, node.role == Role::master};
}

Target target_at(const std::string& address) { return {.name = address, .address = address}; }

}  // namespace beowulf::remote
