#include "core/address.h"

#include <fmt/core.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <optional>

namespace beowulf {
namespace {

constexpr const char* kQuadHint = "an IPv4 address is four numbers from 0 to 255 separated by dots, like 198.18.0.11";

/// One part of a dotted quad: 1-3 digits, 0-255, no leading zero. nullopt otherwise.
std::optional<std::uint32_t> parse_octet(std::string_view part) {
  if (part.empty() || part.size() > 3) return std::nullopt;
  if (part.size() > 1 && part[0] == '0') return std::nullopt;
  unsigned value = 0;
  auto [end, ec] = std::from_chars(part.data(), part.data() + part.size(), value);
  if (ec != std::errc() || end != part.data() + part.size() || value > 255) return std::nullopt;
  return value;
}

Error not_an_address(std::string_view text) {
  return bad_input(fmt::format("'{}' is not an IPv4 address", text), kQuadHint);
}

Error unusable(Ipv4 address, std::string_view rule, std::string_view why, std::string hint = {}) {
  return bad_input(fmt::format("{} is {}: {}", address.str(), rule, why), std::move(hint));
}

}  // namespace

std::string Ipv4::str() const {
  return fmt::format("{}.{}.{}.{}", value >> 24, (value >> 16) & 0xFF, (value >> 8) & 0xFF, value & 0xFF);
}

std::uint32_t Subnet::mask() const { return prefix == 0 ? 0 : ~std::uint32_t{0} << (32 - prefix); }

Ipv4 Subnet::broadcast() const { return Ipv4{network.value | ~mask()}; }

bool Subnet::contains(Ipv4 address) const { return (address.value & mask()) == network.value; }

std::string Subnet::str() const { return fmt::format("{}/{}", network.str(), prefix); }

Result<Ipv4> parse_ipv4(std::string_view text) {
  std::uint32_t value = 0;
  std::string_view rest = text;
  for (int i = 0; i < 4; ++i) {
    std::size_t dot = i < 3 ? rest.find('.') : rest.size();
    if (dot == std::string_view::npos) return not_an_address(text);
    auto octet = parse_octet(rest.substr(0, dot));
    if (!octet) return not_an_address(text);
    value = value << 8 | *octet;
    rest.remove_prefix(i < 3 ? dot + 1 : dot);
  }
  return Ipv4{value};
}

Subnet subnet_of(Ipv4 address, int prefix) {
  Subnet subnet{Ipv4{}, prefix};
  subnet.network.value = address.value & subnet.mask();
  return subnet;
}

Result<Subnet> parse_subnet(std::string_view text) {
  auto bad = [&](std::string hint) {
    return bad_input(fmt::format("'{}' is not a subnet", text), std::move(hint));
  };
  constexpr const char* kForm = "a subnet is an address and a prefix length from 0 to 32, like 198.18.0.0/24";
  std::size_t slash = text.find('/');
  if (slash == std::string_view::npos) return bad(kForm);
  auto address = parse_ipv4(text.substr(0, slash));
  if (!address) return bad(kForm);
  std::string_view digits = text.substr(slash + 1);
  int prefix = -1;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), prefix);
  if (digits.empty() || digits.size() > 2 || ec != std::errc() || end != digits.data() + digits.size() ||
      prefix < 0 || prefix > 32)
    return bad(kForm);
  Subnet subnet = subnet_of(*address, prefix);
  if (subnet.network != *address)
    return bad(fmt::format("{} has host bits set for a /{}: did you mean {}?", address->str(), prefix, subnet.str()));
  return subnet;
}

Status check_node_address(Ipv4 address, const Subnet& subnet) {
  std::uint32_t first = address.value >> 24;
  if (address.value == 0) return unusable(address, "the unspecified address", "no host can use it");
  if (first == 0) return unusable(address, "in 0.0.0.0/8 (\"this network\")", "no host can use it");
  if (first == 127)
    return unusable(address, "a loopback address (127.0.0.0/8)", "other nodes cannot reach it",
                    "give the node's address on the cluster network, as 'ip -4 addr' shows it");
  if (first >= 224 && first < 240)
    return unusable(address, "a multicast address (224.0.0.0/4)", "no host can use it as its own");
  if (subnet.prefix >= 31) return {};  // point-to-point links (RFC 3021): no network or broadcast address
  std::string range = fmt::format("give the node an address from {} to {}", Ipv4{subnet.network.value + 1}.str(),
                                  Ipv4{subnet.broadcast().value - 1}.str());
  if (address == subnet.network)
    return unusable(address, fmt::format("the network address of {}", subnet.str()), "no host can use it", range);
  if (address == subnet.broadcast())
    return unusable(address, fmt::format("the broadcast address of {}", subnet.str()), "no host can use it", range);
  return {};
}

bool is_host_name(std::string_view name) {
  if (name.empty() || name.size() > 63 || name.front() == '-' || name.back() == '-') return false;
  return std::all_of(name.begin(), name.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '-'; });
}

bool is_dns_name(std::string_view name) {
  if (name.empty() || name.size() > 253) return false;
  for (std::size_t start = 0;;) {
    std::size_t dot = name.find('.', start);
    if (!is_host_name(name.substr(start, dot - start))) return false;
    if (dot == std::string_view::npos) return true;
    start = dot + 1;
  }
}

Result<Ipv4> parse_node_address(std::string_view text, int prefix) {
  auto address = parse_ipv4(text);
  if (!address) return address;
  if (auto checked = check_node_address(*address, subnet_of(*address, prefix)); !checked) return checked.error();
  return address;
}

}  // namespace beowulf
