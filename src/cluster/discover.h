#pragma once
// discover: finds machines answering SSH on the master's own subnet (default: the
// cluster address's /24) and says which are members already. It probes only a subnet
// one of this machine's addresses is in, and never one larger than /16.

#include <chrono>
#include <string>
#include <vector>

#include "core/address.h"
#include "core/result.h"
#include "sys/interfaces.h"

namespace beowulf::cluster {

struct DiscoverOptions {
  std::string subnet;                        ///< "198.18.0.0/24"; empty: the master's address's /24
  std::size_t concurrency = 256;
  std::chrono::milliseconds timeout{1500};   ///< per address
};

struct Discovered {
  std::string address;
  std::string banner;  ///< "SSH-2.0-OpenSSH_9.2p1 ..."; empty when the node sent none in time
  std::string member;  ///< its name when it is in the inventory; empty for a new machine
};

/// Checks that `subnet` may be probed from a machine with `interfaces`: at most /16
/// wide, and inside the subnet of one of its non-loopback addresses (the network and
/// prefix of that interface). Bad input otherwise.
Status check_probe_subnet(const Subnet& subnet, const std::vector<sys::InterfaceAddress>& interfaces);

/// Probes every host address of the subnet (see above). Fails (bad input) for a subnet
/// refused by check_probe_subnet, or when there is no subnet given and no inventory.
Result<std::vector<Discovered>> discover(const DiscoverOptions& options);

}  // namespace beowulf::cluster
