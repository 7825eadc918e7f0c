#include "launch/elf_arch.h"

#include <fmt/core.h>

#include <cstdint>
#include <fstream>

namespace beowulf::launch {
namespace {

constexpr std::size_t kHeaderSize = 52;  // a 32-bit ELF header; 64-bit ones are longer
constexpr std::uint32_t kArmHardFloat = 0x400, kArmSoftFloat = 0x200;

/// The little- or big-endian unsigned number of `size` bytes at `at`.
std::uint32_t number(std::string_view bytes, std::size_t at, std::size_t size, bool little) {
  std::uint32_t value = 0;
  for (std::size_t i = 0; i < size; ++i) {
    auto byte = static_cast<unsigned char>(bytes[at + (little ? size - 1 - i : i)]);
    value = (value << 8) | byte;
  }
  return value;
}

}  // namespace

std::optional<std::string> elf_debian_arch(std::string_view bytes) {
  if (bytes.size() < kHeaderSize || bytes.substr(0, 4) != "\x7f" "ELF") return std::nullopt;
  bool is64 = bytes[4] == 2, little = bytes[5] == 1;
  std::uint32_t machine = number(bytes, 18, 2, little);
  // e_flags sits after e_entry, e_phoff and e_shoff, whose size is the class's.
  std::uint32_t flags = number(bytes, is64 ? 48 : 36, 4, little);
  switch (machine) {
    case 62: return is64 ? "amd64" : "x32";
    case 3: return "i386";
    case 183: return "arm64";
    case 40:
      if (flags & kArmHardFloat) return "armhf";
      if (flags & kArmSoftFloat) return "armel";
      return std::nullopt;  // an old ABI: which Debian port it fits is not written down
    case 243: return is64 ? std::optional<std::string>("riscv64") : std::nullopt;
    case 21: return little ? "ppc64el" : "ppc64";
    case 22: return "s390x";
    default: return std::nullopt;
  }
}

std::optional<std::string> program_arch(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::string header(64, '\0');
  in.read(header.data(), static_cast<std::streamsize>(header.size()));
  header.resize(static_cast<std::size_t>(in.gcount()));
  return elf_debian_arch(header);
}

Status check_arch(const std::vector<Node>& nodes, std::string_view shown, const std::string& arch) {
  for (const auto& node : nodes) {
    if (node.arch.empty() || node.arch == arch) continue;
    return Error{fmt::format("{} is built for {} but the node is {}", shown, arch, node.arch), node.label(),
                 fmt::format("build it for {} (e.g. on that node), or leave the node out: -x {}", node.arch,
                             node.name),
                 ErrorKind::bad_input};
  }
  return {};
}

}  // namespace beowulf::launch
