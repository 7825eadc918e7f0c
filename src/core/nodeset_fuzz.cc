// libFuzzer target: NodeSet::parse on any bytes. What is refused must be refused with a
// positioned message; what parses must keep the invariants below.
//   scripts/build fuzz --target fuzzers && build/fuzz/fuzzers/nodeset_fuzz -max_total_time=120

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "core/nodeset.h"

namespace {

// Smaller than NodeSet::max_names so that each run stays fast; the limit itself is
// the same code whatever its value.
constexpr std::size_t limit = 1'000;

void require(bool condition, const char* what, std::string_view input) {
  if (condition) return;
  std::fprintf(stderr, "nodeset_fuzz: %s for input '%.*s'\n", what, static_cast<int>(input.size()), input.data());
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using beowulf::NodeSet;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto parsed = NodeSet::parse(text, limit);
  if (!parsed) {
    const std::string& message = parsed.error().what;
    require(message.rfind("nodeset: '", 0) == 0, "an error without the nodeset prefix", text);
    require(message.find(" at column ") != std::string::npos, "an error without a column", text);
    require(parsed.error().kind == beowulf::ErrorKind::bad_input, "an error that is not bad input", text);
    return 0;
  }
  const NodeSet& nodes = *parsed;
  const auto& names = nodes.expand();
  require(nodes.count() == names.size(), "count differs from the expansion", text);
  require(nodes.count() <= limit, "more names than the limit", text);
  for (std::size_t i = 1; i < names.size(); ++i)
    require(beowulf::natural_less(names[i - 1], names[i]), "expansion not strictly in natural order", text);

  const std::string folded = nodes.fold();
  auto again = NodeSet::parse(folded, limit);
  require(again.ok(), "the fold does not parse", text);
  require(*again == nodes, "the fold parses to another set", text);
  require(again->fold() == folded, "folding is not stable", text);

  if (!names.empty()) {
    require(nodes.contains(names.front()) && nodes.contains(names.back()), "a name is not contained", text);
    auto first = NodeSet::parse(names.front());
    require(first.ok() && first->count() == 1 && first->expand()[0] == names.front(), "a name does not parse alone",
            text);
    require((nodes - *first).count() == nodes.count() - 1, "difference removed other names", text);
    require(((nodes - *first) | *first) == nodes, "union does not restore the set", text);
  }
  return 0;
}
