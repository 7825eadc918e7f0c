#pragma once
// KeptOutput: how much of what a node writes is kept in memory. A node that writes
// without end (`exec -- yes`, a runaway log) must not make beowulf swallow the master's
// memory: each stream of each node keeps at most kMaxKept bytes, then one line that says
// it was cut. Lines printed as they come (exec without -b) are not cut: only what is kept.

#include <cstddef>
#include <string>
#include <string_view>

namespace beowulf::remote {

/// The bytes kept per node and stream (stdout, stderr): 1 MiB.
inline constexpr std::size_t kMaxKept = 1024 * 1024;

/// The line that ends output cut at `cap` bytes.
std::string cut_note(std::size_t cap);

/// Appends `line` and '\n' to `kept` while that keeps it within `cap` bytes; the first
/// line that would not ends `kept` with cut_note(cap) instead, and later ones are dropped.
void keep_line(std::string& kept, std::string_view line, std::size_t cap = kMaxKept);

}  // namespace beowulf::remote
