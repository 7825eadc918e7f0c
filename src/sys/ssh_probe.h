#pragma once
// SshProbe: which addresses answer on TCP port 22, and with what SSH banner
// ("SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u10"). One poll loop, many connects in flight,
// a short deadline each: how `discover` replaces "visit your router's page".

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace beowulf::sys {

struct ProbeOptions {
  int port = 22;
  std::size_t concurrency = 256;              ///< connections in flight at most
  std::chrono::milliseconds timeout{1500};    ///< per address: connect and banner
};

struct ProbeAnswer {
  std::uint32_t address = 0;  ///< host order
  std::string banner;         ///< the first line the server sent, without CR LF; empty: none in time
};

/// Connects to `port` on each of `addresses` (IPv4, host order) and reads the first line.
/// Returns the addresses that accepted the connection, in the order given. Addresses
/// that refuse, do not answer in time or fail otherwise are left out.
std::vector<ProbeAnswer> probe_ssh(const std::vector<std::uint32_t>& addresses, const ProbeOptions& options = {});

}  // namespace beowulf::sys
