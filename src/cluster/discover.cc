#include "cluster/discover.h"

#include <fmt/core.h>

#include "sys/inventory_file.h"
#include "sys/paths.h"
#include "sys/ssh_probe.h"

namespace beowulf::cluster {

Status check_probe_subnet(const Subnet& subnet, const std::vector<sys::InterfaceAddress>& interfaces) {
  if (subnet.prefix < 16)
    return bad_input(fmt::format("{} is too large to probe ({} addresses)", subnet.str(), 1ULL << (32 - subnet.prefix)),
                     "probe a /16 or smaller, e.g. the cluster's /24");
  std::string ours;
  for (const auto& i : interfaces) {
    auto address = parse_ipv4(i.address);
    if (i.loopback || !address.ok()) continue;
    Subnet own = subnet_of(*address, i.prefix);
    if (subnet.prefix >= own.prefix && own.contains(subnet.network)) return {};
    ours += (ours.empty() ? "" : ", ") + own.str();
  }
  return bad_input(fmt::format("{} is not within this machine's own subnet{}", subnet.str(),
                               ours.empty() ? "" : " (" + ours + ")"),
                   "discover probes only the master's own subnet");
}

Result<std::vector<Discovered>> discover(const DiscoverOptions& options) {
  Inventory inventory;
  auto loaded = sys::load_inventory(sys::inventory_path());
  if (loaded.ok()) inventory = *loaded;
  Subnet subnet;
  if (!options.subnet.empty()) {
    auto parsed = parse_subnet(options.subnet);
    if (!parsed.ok()) return parsed.error();
    subnet = *parsed;
  } else {
    if (!loaded.ok()) return loaded.error();
    if (inventory.master() == nullptr) return Error{"the inventory has no master", "", "run 'beowulf init' first"};
    subnet = subnet_of(inventory.master()->address, 24);
  }
  auto interfaces = sys::ipv4_addresses();
  if (!interfaces.ok()) return interfaces.error();
  if (Status s = check_probe_subnet(subnet, *interfaces); !s.ok()) return s.error();

  std::vector<std::uint32_t> hosts;
  for (std::uint32_t a = subnet.network.value; a <= subnet.broadcast().value; ++a) {
    if (subnet.prefix < 31 && (a == subnet.network.value || a == subnet.broadcast().value)) continue;
    hosts.push_back(a);
    if (a == 0xFFFFFFFFu) break;
  }
  std::vector<Discovered> out;
  for (const auto& answer : sys::probe_ssh(hosts, {22, options.concurrency, options.timeout})) {
    Ipv4 address{answer.address};
    const Node* node = inventory.find(address);
    out.push_back({address.str(), answer.banner, node != nullptr ? node->name : ""});
  }
  return out;
}

}  // namespace beowulf::cluster
