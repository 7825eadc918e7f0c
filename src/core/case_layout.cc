#include "core/case_layout.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cstdlib>

namespace beowulf {
namespace {

/// "1 board", "5 boards".
std::string boards_text(int boards) { return fmt::format("{} board{}", boards, boards == 1 ? "" : "s"); }

/// The whole of `text` as a non-negative count, or -1 (not a number, or too large).
int parse_count(std::string_view text) {
  int value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || end != text.data() + text.size()) return -1;
  if (ec == std::errc::result_out_of_range) return kMaxCaseBoards + 1;
  return ec == std::errc{} ? value : -1;
}

bool holds(CaseLayout layout, int boards) { return layout.slots() >= boards; }

/// Neither a column nor a level could go: the layouts the recipe would have you sketch.
bool fits(CaseLayout layout, int boards) {
  return holds(layout, boards) && !holds({layout.columns - 1, layout.levels}, boards) &&
         !holds({layout.columns, layout.levels - 1}, boards);
}

/// Why `layout` is not a layout for `boards` boards (it is not one of layouts_for).
Error refusal(CaseLayout layout, int boards) {
  std::string hint = fmt::format("layouts for {}: {}", boards_text(boards), layout_names(layouts_for(boards)));
  if (!holds(layout, boards))
    return bad_input(fmt::format("a {} layout holds {}, not {}", layout.name(), boards_text(layout.slots()), boards),
                     hint);
  CaseLayout smaller = holds({layout.columns, layout.levels - 1}, boards)
                           ? CaseLayout{layout.columns, layout.levels - 1}
                           : CaseLayout{layout.columns - 1, layout.levels};
  return bad_input(fmt::format("a {} layout is too big for {}: {} holds {}", layout.name(), boards_text(boards),
                               smaller.name(), boards == 1 ? "it" : "them"),
                   hint);
}

/// How far from square: the default layout is the one with the least.
int squareness(CaseLayout layout) { return std::abs(layout.columns - layout.levels); }

}  // namespace

std::string CaseLayout::name() const { return fmt::format("{}x{}", columns, levels); }

Result<CaseLayout> parse_case_layout(std::string_view text) {
  std::size_t x = text.find_first_of("xX");
  int columns = x == std::string_view::npos ? -1 : parse_count(text.substr(0, x));
  int levels = x == std::string_view::npos ? -1 : parse_count(text.substr(x + 1));
  if (columns < 0 || levels < 0)
    return bad_input(fmt::format("layout '{}' is not COLSxROWS", text),
                     "e.g. 3x2: 3 boards side by side on each of 2 levels");
  if (columns == 0 || levels == 0)
    return bad_input(fmt::format("layout '{}' has no room: it needs at least 1 column and 1 level", text));
  if (columns > kMaxCaseBoards || levels > kMaxCaseBoards || columns * levels > kMaxCaseBoards)
    return bad_input(fmt::format("layout '{}' is larger than a case for {} boards", text, kMaxCaseBoards));
  return CaseLayout{columns, levels};
}

std::vector<CaseLayout> layouts_for(int boards) {
  std::vector<CaseLayout> layouts;
  if (boards < 1 || boards > kMaxCaseBoards) return layouts;
  for (int columns = boards; columns >= 1; --columns) {
    CaseLayout layout{columns, (boards + columns - 1) / columns};  // the fewest levels that hold them
    if (fits(layout, boards)) layouts.push_back(layout);
  }
  return layouts;
}

std::string layout_names(const std::vector<CaseLayout>& layouts) {
  std::vector<std::string> names;
  for (const auto& layout : layouts) names.push_back(layout.name());
  return fmt::format("{}", fmt::join(names, ", "));
}

Result<CasePlan> CasePlan::make(int boards, std::optional<CaseLayout> layout) {
  if (boards < 1 || boards > kMaxCaseBoards)
    return bad_input(fmt::format("a case holds 1 to {} boards, not {}", kMaxCaseBoards, boards));
  std::vector<CaseLayout> layouts = layouts_for(boards);
  if (!layout) {
    // Widest first, so on a tie the first found has fewer levels.
    layout = *std::min_element(layouts.begin(), layouts.end(),
                               [](CaseLayout a, CaseLayout b) { return squareness(a) < squareness(b); });
  }
  if (!fits(*layout, boards)) return refusal(*layout, boards);
  return CasePlan(boards, *layout);
}

std::string CasePlan::summary() const {
  return fmt::format("{} in a {} layout", boards_text(boards_), layout_.name());
}

std::string CasePlan::describe() const {
  std::string s = layout_.columns == 1 ? std::string("1 board on each level")
                                       : fmt::format("{} side by side on each level", boards_text(layout_.columns));
  s += fmt::format(", {} level{}", layout_.levels, layout_.levels == 1 ? "" : "s");
  int top = boards_on_level(layout_.levels);
  if (top < layout_.columns) s += fmt::format(" (level {} holds {})", layout_.levels, top);
  return s;
}

int CasePlan::boards_on_level(int level) const {
  if (level < 1 || level > layout_.levels) return 0;
  int below = (level - 1) * layout_.columns;
  return std::clamp(boards_ - below, 0, layout_.columns);
}

std::vector<int> CasePlan::deck_widths() const {
  std::vector<int> widths;
  for (int deck = 0; deck <= layout_.levels; ++deck)  // deck d lies between levels d and d+1
    widths.push_back(std::max(boards_on_level(deck), boards_on_level(deck + 1)));
  return widths;
}

BillOfMaterials CasePlan::bill_of_materials() const {
  BillOfMaterials bill;
  bill.base_boards = 2 * boards_;  // a tray per board: one under it, one over it
  bill.end_connectors = 4 * layout_.levels;
  for (int width : deck_widths()) bill.middle_connectors += 2 * (width - 1);  // 2 per seam
  return bill;
}

}  // namespace beowulf
