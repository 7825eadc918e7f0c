#pragma once
// For the cluster layer's unit tests: members put into an inventory in one line each, and
// the gather answer a member gives (for the fake transport, remote/fake_transport.h).

#include <gtest/gtest.h>

#include <string>

#include "core/base64.h"
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

/// A gather answer of member `name` that parse_node_facts() takes: 4 cores, arm64, a
/// user key and a host key, no beowulf blocks yet.
inline std::string facts_of(const std::string& name) {
  return "hostname " + name + "\ncores 4\narch arm64\netc_hostname =" + base64_encode(name + "\n") +
         "\netc_hosts =" + base64_encode("127.0.0.1 localhost\n") + "\nauthorized_keys -\nknown_hosts -\n" +
         "user_key =" + base64_encode("ssh-ed25519 AAAAuser linaro@" + name + "\n") + "\n" +
         "host_keys =" + base64_encode("ssh-ed25519 AAAAhost root@" + name + "\n") + "\n";
}

}  // namespace beowulf::cluster
