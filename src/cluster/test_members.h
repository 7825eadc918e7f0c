#pragma once
// For the cluster layer's unit tests: members put into an inventory in one line each.

#include <gtest/gtest.h>

#include "core/inventory.h"

namespace beowulf::cluster {

/// Puts member `name` at `address` (the boards' user, linaro) into `inventory`.
inline void put_member(Inventory& inventory, const char* name, const char* address, Role role) {
  Node n;
  n.name = name;
  n.address = parse_ipv4(address).value();
  n.user = "linaro";
  n.role = role;
  EXPECT_TRUE(inventory.put(n).ok());
}

}  // namespace beowulf::cluster
