// libFuzzer: parse_machine_file never crashes in either format, and what it accepts
// survives a write and a second parse unchanged.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/machine_file.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  for (auto format : {beowulf::MachineFileFormat::mpich, beowulf::MachineFileFormat::openmpi}) {
    auto entries = beowulf::parse_machine_file(text, format, "machine_file");
    if (!entries) continue;
    auto again = beowulf::parse_machine_file(beowulf::write_machine_file(*entries, format), format, "machine_file");
    if (!again || *again != *entries) __builtin_trap();
  }
  return 0;
}
