#include "remote/kept_output.h"

#include <fmt/core.h>

namespace beowulf::remote {

std::string cut_note(std::size_t cap) {
  return cap % (1024 * 1024) == 0
             ? fmt::format("[beowulf: output cut: at most {} MiB is kept per node]\n", cap / (1024 * 1024))
             : fmt::format("[beowulf: output cut: at most {} bytes are kept per node]\n", cap);
}

void keep_line(std::string& kept, std::string_view line, std::size_t cap) {
  std::string note = cut_note(cap);
  if (kept.ends_with(note)) return;
  if (kept.size() + line.size() + 1 > cap) {
    kept += note;
    return;
  }
  kept.append(line).push_back('\n');
}

}  // namespace beowulf::remote
