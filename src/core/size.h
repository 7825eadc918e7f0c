#pragma once
// Sizes as people write them on a command line (`--size 16G`): a number of bytes, or a
// number with a binary unit K, M, G or T (optionally followed by "iB" or "B").

#include <cstdint>
#include <string_view>

#include "core/result.h"

namespace beowulf {

/// "16G", "7600M", "512KiB", "1000000" as bytes. Fails (bad input, naming `option`) on
/// anything else and on a size that does not fit in 64 bits: "16777216T" is refused,
/// never wrapped round to 0.
Result<std::uint64_t> parse_size(std::string_view text, std::string_view option = "--size");

}  // namespace beowulf
