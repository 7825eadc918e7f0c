#pragma once
// Target: one node as the transport reaches it: its name, where its sshd is, whom to log
// in as, and whether it is this machine (the master, where beowulf runs: the transport
// runs its jobs here, with `sh -c` and `cp`, not over ssh: see remote/ssh.h). Made once
// from the inventory's Node (target_of); every FanOut job carries the one it acts on.

#include <string>

#include "core/inventory.h"

namespace beowulf::remote {

struct Target {
  std::string name;     ///< "worker002": how pdsh-style lines name it
  std::string address;  ///< an IP address or a host name
  std::string user;     ///< empty: ssh's default (the config's, or ours)
  int port = 22;
  bool local = false;   ///< this machine: run here, never over ssh

  /// "worker002 (198.18.0.12)": how messages name the node.
  std::string label() const;
  bool operator==(const Target&) const = default;
};

/// The target of an inventory node: the master is local.
Target target_of(const Node& node);

/// A node known only by its address (before it has a name: ssh-keyscan, waiting for
/// sshd); messages name it by that address.
Target target_at(const std::string& address);

}  // namespace beowulf::remote
