#include "cluster/arch_check.h"

#include <fmt/core.h>

#include <algorithm>
#include <map>
#include <string>

#include "core/nodeset.h"

namespace beowulf::cluster {
namespace {

/// Folds names to a node set's text: "worker[001-003]".
std::string folded(const std::vector<std::string>& names) {
  std::string text;
  for (const auto& n : names) text += (text.empty() ? "" : ",") + n;
  auto set = NodeSet::parse(text);
  return set.ok() ? set->fold() : text;
}

Finding arch_finding(std::string subject, Verdict verdict, std::string evidence, std::string fix = {}) {
  return Finding{.check = "arch", .subject = std::move(subject), .verdict = verdict,
                 .evidence = std::move(evidence), .fix = std::move(fix)};
}

/// The one warning for a mix: the nodes of each architecture, the most common first.
Finding mixed(const std::map<std::string, std::vector<std::string>>& by_arch) {
  std::vector<std::pair<std::string, std::vector<std::string>>> groups(by_arch.begin(), by_arch.end());
  std::stable_sort(groups.begin(), groups.end(),
                   [](const auto& a, const auto& b) { return a.second.size() > b.second.size(); });
  std::vector<std::string> all;
  std::string evidence;
  for (const auto& [arch, names] : groups) {
    evidence += fmt::format("{}{} on {}", evidence.empty() ? "" : "; ", arch, folded(names));
    all.insert(all.end(), names.begin(), names.end());
  }
  evidence += ": a program is built for one architecture, and beowulf run refuses to send it to a node of another";
  return arch_finding(folded(all), Verdict::warn, evidence,
                      fmt::format("build the program for each architecture; run each build on its own nodes: "
                                  "beowulf run -w {} PROGRAM",
                                  folded(groups.front().second)));
}

}  // namespace

std::vector<Finding> check_arch(const std::vector<Node>& nodes) {
  std::map<std::string, std::vector<std::string>> by_arch;
  for (const auto& node : nodes)
    if (!node.arch.empty()) by_arch[node.arch].push_back(node.name);
  std::vector<Finding> out;
  if (by_arch.size() > 1) out.push_back(mixed(by_arch));
  if (by_arch.size() == 1)
    for (const auto& node : nodes)
      if (!node.arch.empty()) out.push_back(arch_finding(node.name, Verdict::ok, node.arch));
  return out;
}

}  // namespace beowulf::cluster
