#pragma once
// OutputGroups: what `beowulf exec -b` prints, as `clush -b` and `dshbak -c` do: the nodes
// that printed exactly the same text gathered under one folded node set, so that 64
// identical answers read as one. Pure: text in, text out.

#include <string>
#include <vector>

#include "core/nodeset.h"

namespace beowulf {

/// What one node printed.
struct NodeOutput {
  std::string node;  ///< "worker002"
  std::string text;  ///< its lines, each ended by '\n'
};

/// A text and the nodes that printed it.
struct OutputGroup {
  NodeSet nodes;
  std::string text;
  bool operator==(const OutputGroup&) const = default;
};

/// The outputs gathered by identical text, the groups in the natural order of their first
/// node (a node listed twice has its texts joined in order).
std::vector<OutputGroup> group_outputs(const std::vector<NodeOutput>& outputs);

/// The groups as `clush -b` prints them: for each, a rule, "worker[001-003] (3)", a rule,
/// then the text.
std::string format_groups(const std::vector<OutputGroup>& groups);

}  // namespace beowulf
