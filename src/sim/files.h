#pragma once
// Small file helpers for the sim's own directories (node /etc copies, pid files, /proc).

#include <string>

#include "core/result.h"

namespace beowulf::sim {

/// The whole content of `path`. Fails with "read PATH: REASON".
Result<std::string> read_text(const std::string& path);

/// Replaces `path` with `text` (mode `mode`) through a temporary file and a rename, so a
/// reader sees the old or the new file, never half of one. Fails with "write PATH: REASON".
Status write_text(const std::string& path, const std::string& text, unsigned mode = 0644);

}  // namespace beowulf::sim
