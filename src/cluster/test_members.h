#pragma once
// For the cluster layer's unit tests: members put into an inventory in one line each, and
// the gather answer a member gives (for the fake transport, remote/fake_transport.h).

#include <gtest/gtest.h>

#include <fmt/core.h>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "core/base64.h"
#include "core/inventory.h"
#include "sys/inventory_file.h"
#include "sys/paths.h"
#include "sys/temp_dir.h"

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

/// HOME and BEOWULF_HOME in a fresh folder, holding a cluster of a master and two workers.
class ClusterHome : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const char* name : {"HOME", "BEOWULF_HOME"})
      if (const char* v = std::getenv(name)) saved_.emplace_back(name, v);
    ::setenv("HOME", home_.path().c_str(), 1);
    ::setenv("BEOWULF_HOME", (home_.path() + "/.beowulf").c_str(), 1);
    std::filesystem::create_directories(home_.path() + "/.ssh");
    std::filesystem::create_directories(home_.path() + "/.beowulf");
    Inventory inventory;
    ASSERT_TRUE(inventory.put({.name = "master", .address = *parse_ipv4("198.18.0.10"), .user = "linaro", .role = Role::master}).ok());
    for (int i : {1, 2})
      ASSERT_TRUE(inventory.put({.name = fmt::format("worker00{}", i), .address = *parse_ipv4(fmt::format("198.18.0.1{}", i)),
                                 .user = "linaro"}).ok());
    ASSERT_TRUE(sys::save_inventory(sys::inventory_path(), inventory).ok());
  }
  void TearDown() override {
    ::unsetenv("HOME");
    ::unsetenv("BEOWULF_HOME");
    for (const auto& [name, value] : saved_) ::setenv(name.c_str(), value.c_str(), 1);
  }
  sys::TempDir home_{"beowulf-cluster-home"};
  std::vector<std::pair<std::string, std::string>> saved_;
};

}  // namespace beowulf::cluster
