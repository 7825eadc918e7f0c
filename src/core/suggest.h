#pragma once
// "Did you mean ...?" for a mistyped name.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace beowulf {

/// Edit distance (insertions, deletions, substitutions, adjacent swaps) between a and b.
std::size_t edit_distance(std::string_view a, std::string_view b);

/// The candidate closest to `typed`, when it is close enough to be a likely typo
/// (at most a third of its length away, and at least one edit); nullopt otherwise.
std::optional<std::string> closest(std::string_view typed, const std::vector<std::string>& candidates);

}  // namespace beowulf
