// libFuzzer: parse_inventory never crashes, and what it accepts survives a write and a
// second parse unchanged.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/inventory.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto inventory = beowulf::parse_inventory(text, "fuzz.toml");
  if (!inventory) return 0;
  std::string written = beowulf::write_inventory(*inventory);
  auto again = beowulf::parse_inventory(written, "fuzz.toml");
  if (!again || !(*again == *inventory) || beowulf::write_inventory(*again) != written) __builtin_trap();
  return 0;
}
