#pragma once
// IPv4 addresses and subnets of a cluster, and the checks an address must pass before a
// node may use it (the recipe's "It should NOT be 255"). Pure values: no I/O.

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"

namespace beowulf {

/// An IPv4 address as a 32-bit number (198.18.0.11 is 0xC612000B).
struct Ipv4 {
  std::uint32_t value = 0;

  /// The dotted quad, "198.18.0.11".
  std::string str() const;
  auto operator<=>(const Ipv4&) const = default;
};

/// A subnet, "198.18.0.0/24": the network address (host bits zero) and the prefix length.
struct Subnet {
  Ipv4 network;
  int prefix = 24;

  /// The netmask as a number (/24 is 0xFFFFFF00).
  std::uint32_t mask() const;
  /// The broadcast address (all host bits set).
  Ipv4 broadcast() const;
  bool contains(Ipv4 address) const;
  /// "198.18.0.0/24".
  std::string str() const;
  bool operator==(const Subnet&) const = default;
};

/// The prefix of home routers, used when no subnet is known.
inline constexpr int kDefaultPrefix = 24;

/// Parses a dotted quad: four decimal numbers 0-255, no leading zeros (some tools read
/// them as octal), no spaces. Fails with "'TEXT' is not an IPv4 address" and a hint.
Result<Ipv4> parse_ipv4(std::string_view text);

/// Parses "198.18.0.0/24". Fails when the address or the prefix (0-32) is malformed, or
/// when host bits are set ("198.18.0.5/24"), with the subnet that was likely meant.
Result<Subnet> parse_subnet(std::string_view text);

/// The subnet of `prefix` bits that holds `address` (198.18.0.11, 24 -> 198.18.0.0/24).
Subnet subnet_of(Ipv4 address, int prefix = kDefaultPrefix);

/// Checks that a node can use `address` in `subnet`: not 0.0.0.0/8, not loopback,
/// not multicast, not the network or broadcast address of the subnet (no such
/// addresses in a /31 or /32). Each refusal names the rule and why.
Status check_node_address(Ipv4 address, const Subnet& subnet);

/// parse_ipv4, then check_node_address in the /`prefix` subnet around the address.
Result<Ipv4> parse_node_address(std::string_view text, int prefix = kDefaultPrefix);

/// True for a host name label as /etc/hostname takes it: 1-63 letters, digits and '-',
/// not starting or ending with '-' ("worker001").
bool is_host_name(std::string_view name);

/// True for a host name, or for dotted labels each of which is one ("node1.lab").
bool is_dns_name(std::string_view name);

}  // namespace beowulf
