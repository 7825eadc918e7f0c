// libFuzzer: parse_probe never crashes nor reads past its input, whatever a node sends
// (any KEY LENGTH header, any length field), and what it accepts it accepts again.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "cluster/doctor_probe.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto probe = beowulf::cluster::parse_probe(text);
  if (probe.ok() != beowulf::cluster::parse_probe(text).ok()) __builtin_trap();
  return 0;
}
