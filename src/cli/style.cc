#include "cli/style.h"

#include <unistd.h>

#include <cstdlib>

namespace beowulf::cli {

bool colour_enabled(std::FILE* stream) {
  const char* no_colour = std::getenv("NO_COLOR");
  if (no_colour != nullptr && *no_colour != '\0') return false;
  return isatty(fileno(stream)) == 1;
}

std::string styled(std::FILE* stream, std::string_view sgr, std::string_view text) {
  if (!colour_enabled(stream)) return std::string(text);
  return "\x1b[" + std::string(sgr) + "m" + std::string(text) + "\x1b[0m";
}

}  // namespace beowulf::cli
