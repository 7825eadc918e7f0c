#pragma once
// NodeSet: a set of node names written in the pdsh/ClusterShell grammar, such as
// `worker[001-004,007]`, `198.18.0.[11-13]` or `rack[1-2]node[1-4]`. A pure value:
// parse it, combine it with others, expand it to names or fold it back to text.
// The grammar and its errors are written down in docs/nodeset.md.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace beowulf {

class NodeSet {
 public:
  /// The most names one parse may produce, counted before duplicates are removed, so
  /// that a typo such as `worker[1-99999999]` is refused instead of eating the memory.
  static constexpr std::size_t max_names = 1'000'000;

  /// The empty set.
  NodeSet() = default;

  /// Parses `text`: names and bracketed ranges, separated by commas or whitespace.
  /// Empty (or blank) text is the empty set. Fails with a bad_input error naming the
  /// 1-based column of the offending character, e.g.
  /// `nodeset: 'worker[3-1]': range goes backwards at column 8`, and when the text
  /// would make more than `limit` names (never more than max_names).
  static Result<NodeSet> parse(std::string_view text, std::size_t limit = max_names);

  /// Every name, once each, in natural order (worker9 before worker10).
  const std::vector<std::string>& expand() const { return names_; }

  /// The shortest text this code finds that parses back to this set:
  /// `worker001,worker002,worker003,worker005` folds to `worker[001-003,005]`.
  /// Empty for the empty set.
  std::string fold() const;

  std::size_t count() const { return names_.size(); }
  bool empty() const { return names_.empty(); }

  /// True when `name` is in the set; `worker01` and `worker001` are different names.
  bool contains(std::string_view name) const;

  /// The names in either set.
  friend NodeSet operator|(const NodeSet& a, const NodeSet& b);
  /// The names of `a` that are not in `b`.
  friend NodeSet operator-(const NodeSet& a, const NodeSet& b);

  friend bool operator==(const NodeSet& a, const NodeSet& b) = default;

 private:
  explicit NodeSet(std::vector<std::string> names);  // sorts and deduplicates

  std::vector<std::string> names_;  // in natural order, no duplicates
};

/// Natural order of names: runs of digits compare as numbers, a shorter run first and
/// runs of one length digit by digit, so worker9 < worker10 and, with mixed padding as
/// ClusterShell orders it, node9 < node09 < node10 < node010.
bool natural_less(std::string_view a, std::string_view b);

}  // namespace beowulf
