#include "cluster/bootstrap_plan.h"

#include <fmt/core.h>

#include <algorithm>
#include <set>

#include "core/address.h"

namespace beowulf::cluster {
namespace {

constexpr const char* kPatternHint = "a pattern is a name with one number in it, e.g. --names worker%03d";

/// Parses the `%d` / `%0Nd` at `text[at]` (just after the '%'): the width, or -1.
int parse_conversion(std::string_view text, std::size_t& at) {
  int width = 0;
  bool zero = at < text.size() && text[at] == '0';
  if (zero) ++at;
  while (at < text.size() && text[at] >= '0' && text[at] <= '9') width = width * 10 + (text[at++] - '0');
  if (at >= text.size() || text[at] != 'd' || width > 9 || (zero && width == 0)) return -1;
  ++at;
  return zero ? width : 0;
}

}  // namespace

Result<NamePattern> NamePattern::parse(std::string_view pattern) {
  NamePattern out;
  int conversions = 0;
  std::string* part = &out.prefix_;
  for (std::size_t i = 0; i < pattern.size();) {
    if (pattern[i] != '%') {
      *part += pattern[i++];
      continue;
    }
    ++i;
    if (i < pattern.size() && pattern[i] == '%') {
      *part += '%';
      ++i;
      continue;
    }
    int width = parse_conversion(pattern, i);
    if (width < 0 || ++conversions > 1)
      return bad_input(fmt::format("--names '{}': expected one number written %d or %03d", pattern), kPatternHint);
    out.width_ = width;
    part = &out.suffix_;
  }
  if (conversions == 0)
    return bad_input(fmt::format("--names '{}' has no number in it", pattern), kPatternHint);
  if (!is_host_name(out.name(1)))
    return bad_input(fmt::format("--names '{}' makes '{}', which is not a valid hostname", pattern, out.name(1)),
                     "a hostname is letters, digits and hyphens, not starting or ending with one");
  return out;
}

std::string NamePattern::name(int number) const {
  return fmt::format("{}{:0{}d}{}", prefix_, number, width_, suffix_);
}

Result<BootstrapPlan> plan_bootstrap(const std::vector<NamedNode>& members,
                                     const std::vector<std::string>& addresses, const NamePattern& pattern) {
  BootstrapPlan plan{{}, members};
  std::set<std::string> used_names, seen;
  for (const auto& m : members) used_names.insert(m.name);
  int next = 1;
  for (const auto& address : addresses) {
    if (!seen.insert(address).second) continue;
    if (!members.empty() && members.front().address == address)
      return bad_input(fmt::format("{} is the master ({}): it is in the cluster already", address, members.front().name),
                       "give the workers' addresses");
    auto known = std::find_if(members.begin(), members.end(), [&](const NamedNode& m) { return m.address == address; });
    if (known != members.end()) {
      plan.targets.push_back(*known);
      continue;
    }
    while (used_names.count(pattern.name(next)) != 0) ++next;
    plan.targets.push_back({pattern.name(next), address});
    used_names.insert(pattern.name(next));
  }
  return plan;
}

}  // namespace beowulf::cluster
