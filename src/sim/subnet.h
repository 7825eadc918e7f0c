#pragma once
// Subnet: the virtual cluster's IPv4 network, always inside 198.18.0.0/15 (the range
// RFC 2544 reserves for benchmark networks), and the addresses its nodes get.

#include <cstdint>
#include <string>
#include <vector>

#include "core/result.h"

namespace beowulf::sim {

struct Subnet {
  std::uint32_t network = 0;  ///< host byte order, host bits zero
  int prefix = 24;

  /// "198.18.0.0/24".
  std::string text() const;
  /// The address `offset` after the network address: offset 10 of 198.18.0.0/24 is 198.18.0.10.
  std::string address(std::uint32_t offset) const;
  /// How many addresses lie between the network and the broadcast address.
  std::uint32_t host_count() const;
};

/// Parses "198.18.1.0/24". Fails (bad input) on a malformed CIDR, host bits set, a prefix
/// outside /16../29, or a network not wholly inside 198.18.0.0/15.
Result<Subnet> parse_subnet(const std::string& cidr);

/// The sim's node labels: "master", then "node1" .. "nodeN".
std::vector<std::string> node_labels(int workers);

/// The address of each label of node_labels(workers): the master at offset 10, the
/// workers at 11 and up. Fails (bad input) when they do not fit before the broadcast address.
Result<std::vector<std::string>> node_addresses(const Subnet& subnet, int workers);

}  // namespace beowulf::sim
