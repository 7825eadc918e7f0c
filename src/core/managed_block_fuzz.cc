// libFuzzer: the managed block never crashes; putting a block is idempotent, leaves the
// text outside it alone, reads back as what was put, and removing it is idempotent.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/managed_block.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  const std::vector<std::string> lines = {"198.18.0.10 master", "198.18.0.11 worker001"};
  auto put = beowulf::put_block(text, lines, "f");
  auto removed = beowulf::remove_block(text, "f");
  if (put.ok() != removed.ok()) __builtin_trap();
  if (!put) return 0;
  auto twice = beowulf::put_block(*put, lines, "f");
  if (!twice || *twice != *put) __builtin_trap();
  auto read = beowulf::read_block(*put, "f");
  if (!read || !*read || **read != lines) __builtin_trap();
  auto removed_twice = beowulf::remove_block(*removed, "f");
  if (!removed_twice || *removed_twice != *removed) __builtin_trap();
  return 0;
}
