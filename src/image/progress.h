#pragma once
// Progress: what long image work reports as it goes; the CLI turns it into a line.

#include <cstdint>
#include <functional>
#include <string_view>

namespace beowulf::image {

struct Progress {
  std::string_view phase;  ///< "read", "write", "verify"
  uint64_t done = 0;       ///< bytes
  uint64_t total = 0;      ///< bytes; 0 when unknown (a compressed image without bmap)
};

using ProgressFn = std::function<void(const Progress&)>;

}  // namespace beowulf::image
