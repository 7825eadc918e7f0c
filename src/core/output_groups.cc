#include "core/output_groups.h"

#include <fmt/core.h>

#include <algorithm>
#include <map>

namespace beowulf {

std::vector<OutputGroup> group_outputs(const std::vector<NodeOutput>& outputs) {
  std::map<std::string, std::string> text_of;  // node -> all it printed
  for (const auto& o : outputs) text_of[o.node] += o.text;

  std::map<std::string, std::vector<std::string>> nodes_of;  // text -> nodes
  for (const auto& [node, text] : text_of) nodes_of[text].push_back(node);

  std::vector<OutputGroup> groups;
  for (auto& [text, nodes] : nodes_of) {
    std::string list;
    for (const auto& n : nodes) list += (list.empty() ? "" : ",") + n;
    // Inventory names are host names: they always parse.
    groups.push_back({NodeSet::parse(list).value(), text});
  }
  std::sort(groups.begin(), groups.end(), [](const OutputGroup& a, const OutputGroup& b) {
    return natural_less(a.nodes.expand().front(), b.nodes.expand().front());
  });
  return groups;
}

std::string format_groups(const std::vector<OutputGroup>& groups) {
  const std::string rule(15, '-');
  std::string out;
  for (const auto& g : groups) {
    out += fmt::format("{}\n{} ({})\n{}\n{}", rule, g.nodes.fold(), g.nodes.count(), rule, g.text);
    if (!g.text.empty() && g.text.back() != '\n') out += '\n';
  }
  return out;
}

}  // namespace beowulf
