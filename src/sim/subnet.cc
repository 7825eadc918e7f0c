#include "sim/subnet.h"

#include <arpa/inet.h>

#include <fmt/core.h>

namespace beowulf::sim {
namespace {

constexpr std::uint32_t kBenchNetwork = (198u << 24) | (18u << 16);  // 198.18.0.0/15
constexpr int kBenchPrefix = 15;
constexpr std::uint32_t kMasterOffset = 10;

std::uint32_t mask(int prefix) { return prefix == 0 ? 0 : ~std::uint32_t{0} << (32 - prefix); }

std::string dotted(std::uint32_t address) {
  return fmt::format("{}.{}.{}.{}", address >> 24, (address >> 16) & 255, (address >> 8) & 255, address & 255);
}

Error refused(const std::string& cidr, const std::string& why) {
  return bad_input(fmt::format("--subnet {}: {}", cidr, why),
                   "give a network inside 198.18.0.0/15, e.g. --subnet 198.18.1.0/24");
}

}  // namespace

std::string Subnet::text() const { return fmt::format("{}/{}", dotted(network), prefix); }

std::string Subnet::address(std::uint32_t offset) const { return dotted(network + offset); }

std::uint32_t Subnet::host_count() const { return (~mask(prefix)) - 1; }

Result<Subnet> parse_subnet(const std::string& cidr) {
  auto slash = cidr.find('/');
  if (slash == std::string::npos) return refused(cidr, "not a network in CIDR form (address/prefix)");
  in_addr parsed{};
  if (inet_pton(AF_INET, cidr.substr(0, slash).c_str(), &parsed) != 1)
    return refused(cidr, "not a network in CIDR form (address/prefix)");
  std::string digits = cidr.substr(slash + 1);
  if (digits.empty() || digits.size() > 2 || digits.find_first_not_of("0123456789") != std::string::npos)
    return refused(cidr, "not a network in CIDR form (address/prefix)");
  int prefix = std::stoi(digits);
  if (prefix < 16 || prefix > 29) return refused(cidr, "the prefix must be between /16 and /29");
  std::uint32_t network = ntohl(parsed.s_addr);
  if ((network & ~mask(prefix)) != 0)
    return refused(cidr, fmt::format("host bits are set (the network is {}/{})", dotted(network & mask(prefix)), prefix));
  if ((network & mask(kBenchPrefix)) != kBenchNetwork)
    return refused(cidr, "outside 198.18.0.0/15, the only range the virtual cluster may use");
  return Subnet{network, prefix};
}

std::vector<std::string> node_labels(int workers) {
  std::vector<std::string> labels{"master"};
  for (int i = 1; i <= workers; ++i) labels.push_back(fmt::format("node{}", i));
  return labels;
}

Result<std::vector<std::string>> node_addresses(const Subnet& subnet, int workers) {
  if (workers < 0) return bad_input(fmt::format("--workers {}: must be 0 or more", workers));
  std::uint32_t last = kMasterOffset + static_cast<std::uint32_t>(workers);
  if (last > subnet.host_count())
    return bad_input(fmt::format("--workers {}: {} has room for {} workers (addresses from .{} up)", workers,
                                 subnet.text(), subnet.host_count() - kMasterOffset, kMasterOffset + 1),
                     "use fewer workers or a larger --subnet, e.g. 198.18.0.0/22");
  std::vector<std::string> out;
  for (std::uint32_t offset = kMasterOffset; offset <= last; ++offset) out.push_back(subnet.address(offset));
  return out;
}

}  // namespace beowulf::sim
