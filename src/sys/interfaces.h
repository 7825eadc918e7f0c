#pragma once
// The local host's IPv4 addresses (getifaddrs): how `init` finds the master's cluster
// address and `discover` the subnet it may probe.

#include <string>
#include <vector>

#include "core/result.h"

namespace beowulf::sys {

struct InterfaceAddress {
  std::string interface;  ///< "eth0"
  std::string address;    ///< "198.18.0.10"
  int prefix = 0;         ///< 24 for a 255.255.255.0 netmask
  bool loopback = false;  ///< 127.0.0.0/8, or an interface flagged IFF_LOOPBACK
  bool operator==(const InterfaceAddress&) const = default;
};

/// Every IPv4 address of every interface that is up, in the kernel's order. Fails only
/// when getifaddrs fails.
Result<std::vector<InterfaceAddress>> ipv4_addresses();

}  // namespace beowulf::sys
