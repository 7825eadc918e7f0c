#pragma once
// BootstrapPlan: which nodes `add` works on and which name each one gets. Pure: the
// members come from the inventory, the addresses from the command line.
//
// Names follow a printf-like pattern (`worker%03d`: worker001, worker002, ...). A node
// already in the inventory keeps its name, so running `add` again changes nothing; a new
// node gets the lowest free name, so names stay dense after a `remove`.

#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace beowulf::cluster {

/// A node known by name and cluster address.
struct NamedNode {
  std::string name;
  std::string address;
  bool operator==(const NamedNode&) const = default;
};

/// A name pattern: text, one `%d` or `%0Nd` for the number, text (`%%` is a `%`).
class NamePattern {
 public:
  /// Parses "worker%03d". Fails (bad input) when there is not exactly one number
  /// conversion, or when the names it makes are not valid hostnames.
  static Result<NamePattern> parse(std::string_view pattern);

  /// The name for `number`: worker%03d and 7 -> "worker007".
  std::string name(int number) const;

 private:
  std::string prefix_, suffix_;
  int width_ = 0;
};

struct BootstrapPlan {
  std::vector<NamedNode> targets;  ///< the nodes to add, in command-line order, each with its name
  std::vector<NamedNode> members;  ///< the inventory's nodes (the master first), unchanged
};

/// Assigns names to `addresses`: an address already in `members` keeps its name, the
/// others get the lowest numbers whose names no member uses. Duplicates are dropped.
/// Fails (bad input) when an address is the master's (members[0]).
Result<BootstrapPlan> plan_bootstrap(const std::vector<NamedNode>& members,
                                     const std::vector<std::string>& addresses, const NamePattern& pattern);

}  // namespace beowulf::cluster
