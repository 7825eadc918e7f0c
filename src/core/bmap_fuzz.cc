// libFuzzer target: parse_bmap must refuse or accept any text, never crash, and what it
// accepts must survive format_bmap and parse again unchanged.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "core/bmap.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto bmap = beowulf::parse_bmap(text);
  (void)beowulf::zero_file_checksum(text);
  if (!bmap) return 0;
  auto again = beowulf::parse_bmap(beowulf::format_bmap(*bmap, std::string(64, '0')));
  if (!again || again->ranges != bmap->ranges || again->image_size != bmap->image_size) std::abort();
  return 0;
}
