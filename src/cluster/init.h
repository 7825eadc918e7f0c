#pragma once
// init: makes this machine the master of a new cluster: its ssh key (made only when
// there is none), its cluster address, and ~/.beowulf/cluster.toml with the master as
// the first node (slots = its cores), plus the machine files. Running it again changes
// nothing.

#include <string>
#include <vector>

#include "core/inventory.h"
#include "core/result.h"
#include "sys/interfaces.h"

namespace beowulf::cluster {

struct InitOptions {
  std::string name;     ///< the master's name; empty: this machine's hostname (before any dot)
  std::string address;  ///< the cluster address; empty: the one non-loopback IPv4 address
};

struct InitReport {
  Node master;
  std::string key_path;      ///< ~/.ssh/id_ed25519
  bool made_key = false;     ///< false: the key was there already
  bool changed = false;      ///< false: the cluster was initialised already, nothing changed
};

/// Picks the cluster address among `interfaces`: `wanted` when one of them has it; else the
/// one non-loopback address. Fails (bad input) when `wanted` is not one of ours, when there
/// is none, or when there are several (listing them, with a hint to choose with --address).
Result<sys::InterfaceAddress> choose_address(const std::vector<sys::InterfaceAddress>& interfaces,
                                             const std::string& wanted);

/// Initialises the cluster (see above). Fails, changing nothing, when the inventory
/// already has another master, or when the name or the address is refused.
Result<InitReport> init_cluster(const InitOptions& options);

}  // namespace beowulf::cluster
