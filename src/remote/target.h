#pragma once
// Target: one node as the transport reaches it: its name, where its sshd is, whom to log
// in as, and whether it is this machine (the master, where beowulf runs: its jobs run
// here with `sh -c`, not over ssh). Made once from the inventory's Node (target_of).

#include <string>

#include "core/inventory.h"
#include "remote/ssh.h"

namespace beowulf::remote {

struct Target {
  std::string name;     ///< "worker002": how pdsh-style lines name it
  std::string address;  ///< an IP address or a host name
  std::string user;     ///< empty: ssh's default (the config's, or ours)
  int port = 22;
  bool local = false;   ///< this machine: run here, never over ssh

  /// "worker002 (198.18.0.12)": how messages name the node.
  std::string label() const;
  /// Where ssh goes for it: its address, as its user, on its port.
  SshTarget ssh() const { return {user, address, port}; }
  bool operator==(const Target&) const = default;
};

/// The target of an inventory node: the master is local.
Target target_of(const Node& node);

}  // namespace beowulf::remote
