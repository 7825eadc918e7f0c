#pragma once
// Terminal styling: colour only when the stream is a terminal and NO_COLOR is unset
// (https://no-color.org), so that pipes, files and CI logs stay plain text.

#include <cstdio>
#include <string>
#include <string_view>

namespace beowulf::cli {

/// True when text written to `stream` may carry colour.
bool colour_enabled(std::FILE* stream);

/// `text` wrapped in the ANSI code `sgr` (e.g. "1;31") when colour is enabled for `stream`.
std::string styled(std::FILE* stream, std::string_view sgr, std::string_view text);

}  // namespace beowulf::cli
