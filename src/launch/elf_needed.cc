#include "launch/elf_needed.h"

#include <cstdint>
#include <fstream>
#include <optional>

namespace beowulf::launch {
namespace {

constexpr std::uint32_t kDynamicSection = 6;  // SHT_DYNAMIC
constexpr std::uint64_t kNeeded = 1;          // DT_NEEDED
constexpr std::uint64_t kMaxTable = 16 << 20;

/// Reads the file's fields at offsets given by its own header, in its class and byte order.
class ElfFile {
 public:
  explicit ElfFile(const std::string& path) : in_(path, std::ios::binary) {}

  /// `size` bytes at `offset`, or nullopt past the end.
  std::optional<std::string> bytes(std::uint64_t offset, std::uint64_t size) {
    if (size > kMaxTable) return std::nullopt;
    std::string out(size, '\0');
    in_.clear();
    in_.seekg(static_cast<std::streamoff>(offset));
    in_.read(out.data(), static_cast<std::streamsize>(size));
    if (static_cast<std::uint64_t>(in_.gcount()) != size) return std::nullopt;
    return out;
  }

  /// The unsigned number of `size` bytes at `at` in `b`.
  std::uint64_t number(const std::string& b, std::size_t at, std::size_t size) const {
    std::uint64_t value = 0;
    for (std::size_t i = 0; i < size; ++i)
      value = (value << 8) | static_cast<unsigned char>(b[at + (little ? size - 1 - i : i)]);
    return value;
  }
  /// A word of the file's class: 8 bytes in a 64-bit file, 4 in a 32-bit one.
  std::uint64_t word(const std::string& b, std::size_t at32, std::size_t at64) const {
    return is64 ? number(b, at64, 8) : number(b, at32, 4);
  }

  bool is64 = false, little = true;

 private:
  std::ifstream in_;
};

}  // namespace

std::vector<std::string> elf_needed(const std::string& path) {
  ElfFile f(path);
  auto header = f.bytes(0, 64);
  if (!header || header->substr(0, 4) != "\x7f" "ELF") return {};
  f.is64 = (*header)[4] == 2;
  f.little = (*header)[5] == 1;
  std::uint64_t sections_at = f.word(*header, 32, 40);
  std::uint64_t entry_size = f.number(*header, f.is64 ? 58 : 46, 2);
  std::uint64_t count = f.number(*header, f.is64 ? 60 : 48, 2);
  auto table = f.bytes(sections_at, entry_size * count);
  if (!table || entry_size < (f.is64 ? 64u : 40u)) return {};
  for (std::uint64_t i = 0; i < count; ++i) {
    std::size_t s = i * entry_size;
    if (f.number(*table, s + 4, 4) != kDynamicSection) continue;
    // The dynamic section's sh_link names the section holding its strings.
    std::uint64_t strings_index = f.number(*table, s + (f.is64 ? 40 : 24), 4);
    if (strings_index >= count) return {};
    std::size_t t = strings_index * entry_size;
    auto dynamic = f.bytes(f.word(*table, s + 16, s + 24), f.word(*table, s + 20, s + 32));
    auto strings = f.bytes(f.word(*table, t + 16, t + 24), f.word(*table, t + 20, t + 32));
    if (!dynamic || !strings) return {};
    std::vector<std::string> names;
    std::size_t step = f.is64 ? 16 : 8;
    for (std::size_t at = 0; at + step <= dynamic->size(); at += step) {
      std::uint64_t tag = f.word(*dynamic, at, at), value = f.word(*dynamic, at + 4, at + 8);
      if (tag == 0) break;  // DT_NULL ends the table
      if (tag == kNeeded && value < strings->size()) names.push_back(strings->c_str() + value);
    }
    return names;
  }
  return {};
}

}  // namespace beowulf::launch
