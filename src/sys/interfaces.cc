#include "sys/interfaces.h"

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>

#include <bit>
#include <cerrno>
#include <cstring>

#include <fmt/core.h>

namespace beowulf::sys {

Result<std::vector<InterfaceAddress>> ipv4_addresses() {
  ifaddrs* list = nullptr;
  if (getifaddrs(&list) != 0) return Error{fmt::format("list network interfaces: {}", std::strerror(errno))};
  std::vector<InterfaceAddress> out;
  for (ifaddrs* i = list; i != nullptr; i = i->ifa_next) {
    if (i->ifa_addr == nullptr || i->ifa_addr->sa_family != AF_INET || (i->ifa_flags & IFF_UP) == 0) continue;
    auto address = reinterpret_cast<const sockaddr_in*>(i->ifa_addr)->sin_addr;
    std::uint32_t mask = i->ifa_netmask != nullptr
                             ? ntohl(reinterpret_cast<const sockaddr_in*>(i->ifa_netmask)->sin_addr.s_addr)
                             : 0xFFFFFFFFu;
    char text[INET_ADDRSTRLEN] = {};
    inet_ntop(AF_INET, &address, text, sizeof text);
    bool loopback = (i->ifa_flags & IFF_LOOPBACK) != 0 || (ntohl(address.s_addr) >> 24) == 127;
    out.push_back({i->ifa_name, text, std::popcount(mask), loopback});
  }
  freeifaddrs(list);
  return out;
}

}  // namespace beowulf::sys
