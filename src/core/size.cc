#include "core/size.h"

#include <fmt/core.h>

#include <cctype>
#include <limits>
#include <string>

namespace beowulf {
namespace {

constexpr std::uint64_t kMax = std::numeric_limits<std::uint64_t>::max();

/// The power of 1024 a unit letter stands for; -1 when it is none.
int unit_power(char c) {
  switch (std::toupper(static_cast<unsigned char>(c))) {
    case 'K': return 1;
    case 'M': return 2;
    case 'G': return 3;
    case 'T': return 4;
  }
  return -1;
}

bool is_suffix(std::string_view rest) {
  std::string lower;
  for (char c : rest) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return lower.empty() || lower == "b" || lower == "ib";
}

}  // namespace

Result<std::uint64_t> parse_size(std::string_view text, std::string_view option) {
  auto not_a_size = [&] {
    return bad_input(fmt::format("{} '{}' is not a size", option, text), "write it like 16G, 7600M or a number of bytes");
  };
  auto too_large = [&] {
    return bad_input(fmt::format("{} '{}' is too large: at most {} bytes", option, text, kMax));
  };
  std::size_t at = 0;
  std::uint64_t value = 0;
  for (; at < text.size() && std::isdigit(static_cast<unsigned char>(text[at])); ++at) {
    auto digit = static_cast<std::uint64_t>(text[at] - '0');
    if (value > (kMax - digit) / 10) return too_large();
    value = value * 10 + digit;
  }
  if (at == 0) return not_a_size();
  std::string_view rest = text.substr(at);
  int power = rest.empty() ? 0 : unit_power(rest.front());
  if (power < 0) {  // no unit: bytes, "100" or "100B"
    if (rest == "B" || rest == "b") return value;
    return not_a_size();
  }
  if (!rest.empty() && !is_suffix(rest.substr(1))) return not_a_size();
  for (int i = 0; i < power; ++i) {
    if (value > kMax / 1024) return too_large();
    value *= 1024;
  }
  return value;
}

}  // namespace beowulf
