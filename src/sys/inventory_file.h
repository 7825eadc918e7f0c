#pragma once
// The inventory on disk: ~/.beowulf/cluster.toml read and parsed, or written atomically.

#include <string>

#include "core/inventory.h"
#include "core/result.h"

namespace beowulf::sys {

/// The inventory at `path` (usually inventory_path()). Fails with "no cluster here:
/// ~/.beowulf/cluster.toml does not exist" (hint: run 'beowulf init' on the master
/// first) when there is no file, with "read ...: REASON" when it cannot be read, and
/// with parse_inventory's errors (bad_input, the path shown with "~") when it is wrong.
Result<Inventory> load_inventory(const std::string& path);

/// Writes `inventory` to `path` atomically (mode 0644), making its folder (0700) first
/// when it is missing.
Status save_inventory(const std::string& path, const Inventory& inventory);

}  // namespace beowulf::sys
