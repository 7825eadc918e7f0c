#include "core/case_layout.h"

#include <gtest/gtest.h>

namespace beowulf {
namespace {

CasePlan plan(int boards, std::optional<CaseLayout> layout = std::nullopt) {
  auto p = CasePlan::make(boards, layout);
  EXPECT_TRUE(p.ok()) << p.error().message();
  return *p;
}

Error refusal(int boards, std::string_view layout) {
  auto parsed = parse_case_layout(layout);
  EXPECT_TRUE(parsed.ok()) << parsed.error().message();
  auto p = CasePlan::make(boards, *parsed);
  EXPECT_FALSE(p.ok());
  return p.ok() ? Error{} : p.error();
}

TEST(CaseLayout, TheRecipesTwoByTwoExample) {
  CasePlan p = plan(4, CaseLayout{2, 2});
  EXPECT_EQ(p.bill_of_materials(), (BillOfMaterials{.base_boards = 8, .end_connectors = 8, .middle_connectors = 6}));
  EXPECT_EQ(p.deck_widths(), (std::vector<int>{2, 2, 2}));
  EXPECT_EQ(p.bill_of_materials().total(), 22);
}

// The table in docs/case.md.
TEST(CaseLayout, DefaultLayoutsAndPartsForOneToEightBoards) {
  struct Row {
    int boards;
    std::string layout;
    BillOfMaterials bill;
  };
  const std::vector<Row> table = {
      {1, "1x1", {2, 4, 0}},   {2, "2x1", {4, 4, 4}},   {3, "2x2", {6, 8, 4}},    {4, "2x2", {8, 8, 6}},
      {5, "3x2", {10, 8, 10}}, {6, "3x2", {12, 8, 12}}, {7, "3x3", {14, 12, 12}}, {8, "3x3", {16, 12, 14}},
  };
  for (const auto& row : table) {
    CasePlan p = plan(row.boards);
    EXPECT_EQ(p.layout().name(), row.layout) << row.boards << " boards";
    EXPECT_EQ(p.bill_of_materials(), row.bill) << row.boards << " boards";
  }
}

TEST(CaseLayout, RulesHoldForOneToSixteenBoards) {
  for (int n = 1; n <= 16; ++n) {
    CasePlan p = plan(n);
    CaseLayout l = p.layout();
    BillOfMaterials bill = p.bill_of_materials();
    EXPECT_EQ(bill.base_boards, 2 * n) << n;
    EXPECT_EQ(bill.end_connectors, 4 * l.levels) << n;
    // 2 per seam; L+1 decks as wide as the level under them (the top deck: the top level).
    int top = p.boards_on_level(l.levels);
    EXPECT_EQ(bill.middle_connectors, 2 * ((l.columns - 1) * l.levels + (top - 1))) << n;
    // As square as N allows: no other layout for N is closer to square.
    for (CaseLayout other : layouts_for(n))
      EXPECT_LE(std::abs(l.columns - l.levels), std::abs(other.columns - other.levels)) << n << " " << other.name();
    // Bottom levels full, the top level holds the rest and is never empty.
    int placed = 0;
    for (int level = 1; level <= l.levels; ++level) {
      int on = p.boards_on_level(level);
      EXPECT_EQ(on, level < l.levels ? l.columns : n - (l.levels - 1) * l.columns) << n;
      EXPECT_GE(on, 1) << n;
      placed += on;
    }
    EXPECT_EQ(placed, n);
  }
}

TEST(CaseLayout, SquareLayoutsForSquareNumbers) {
  EXPECT_EQ(plan(9).layout(), (CaseLayout{3, 3}));
  EXPECT_EQ(plan(16).layout(), (CaseLayout{4, 4}));
  EXPECT_EQ(plan(16).bill_of_materials(), (BillOfMaterials{32, 16, 30}));
}

TEST(CaseLayout, OnATiePrefersFewerLevels) {
  EXPECT_EQ(plan(2).layout(), (CaseLayout{2, 1}));
  EXPECT_EQ(plan(6).layout(), (CaseLayout{3, 2}));
  EXPECT_EQ(plan(12).layout(), (CaseLayout{4, 3}));
}

TEST(CaseLayout, AVerticalStackHasNoMiddleConnectors) {
  CasePlan p = plan(5, CaseLayout{1, 5});
  EXPECT_EQ(p.bill_of_materials(), (BillOfMaterials{10, 20, 0}));
}

TEST(CaseLayout, ASingleWideLevel) {
  CasePlan p = plan(5, CaseLayout{5, 1});
  // 2 decks (floor and roof), 4 seams each.
  EXPECT_EQ(p.bill_of_materials(), (BillOfMaterials{10, 4, 16}));
}

TEST(CaseLayout, APartTopLevelHasItsOwnRoof) {
  CasePlan p = plan(5, CaseLayout{3, 2});
  EXPECT_EQ(p.boards_on_level(1), 3);
  EXPECT_EQ(p.boards_on_level(2), 2);
  EXPECT_EQ(p.deck_widths(), (std::vector<int>{3, 3, 2}));
}

TEST(CaseLayout, DescribesHowTheBoardsSit) {
  EXPECT_EQ(plan(1).summary(), "1 board in a 1x1 layout");
  EXPECT_EQ(plan(5).summary(), "5 boards in a 3x2 layout");
  EXPECT_EQ(plan(4).describe(), "2 boards side by side on each level, 2 levels");
  EXPECT_EQ(plan(7).describe(), "3 boards side by side on each level, 3 levels (level 3 holds 1)");
  EXPECT_EQ(plan(3, CaseLayout{1, 3}).describe(), "1 board on each level, 3 levels");
  EXPECT_EQ(plan(1).describe(), "1 board on each level, 1 level");
  EXPECT_EQ(plan(2).describe(), "2 boards side by side on each level, 1 level");
}

TEST(CaseLayout, LayoutsWithNothingToSpare) {
  EXPECT_EQ(layout_names(layouts_for(5)), "5x1, 3x2, 2x3, 1x5");
  EXPECT_EQ(layout_names(layouts_for(1)), "1x1");
  EXPECT_EQ(layout_names(layouts_for(4)), "4x1, 2x2, 1x4");
  EXPECT_EQ(layout_names(layouts_for(12)), "12x1, 6x2, 4x3, 3x4, 2x6, 1x12");
  EXPECT_TRUE(layouts_for(0).empty());
}

TEST(CaseLayout, RefusesALayoutTooSmall) {
  Error e = refusal(5, "2x1");
  EXPECT_EQ(e.message(), "a 2x1 layout holds 2 boards, not 5");
  EXPECT_EQ(e.hint, "layouts for 5 boards: 5x1, 3x2, 2x3, 1x5");
  EXPECT_EQ(e.kind, ErrorKind::bad_input);
  EXPECT_EQ(refusal(2, "1x1").message(), "a 1x1 layout holds 1 board, not 2");
}

TEST(CaseLayout, RefusesALayoutWithALevelOrAColumnToSpare) {
  Error e = refusal(5, "2x4");
  EXPECT_EQ(e.message(), "a 2x4 layout is too big for 5 boards: 2x3 holds them");
  EXPECT_EQ(e.hint, "layouts for 5 boards: 5x1, 3x2, 2x3, 1x5");
  EXPECT_EQ(refusal(5, "4x2").message(), "a 4x2 layout is too big for 5 boards: 3x2 holds them");
  EXPECT_EQ(refusal(1, "2x1").message(), "a 2x1 layout is too big for 1 board: 1x1 holds it");
  EXPECT_EQ(refusal(1, "2x1").hint, "layouts for 1 board: 1x1");
}

TEST(CaseLayout, RefusesABoardCountOutOfRange) {
  auto p = CasePlan::make(0);
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.error().message(), "a case holds 1 to 1000 boards, not 0");
  EXPECT_FALSE(CasePlan::make(1001).ok());
  EXPECT_TRUE(CasePlan::make(1000).ok());
}

TEST(CaseLayout, ParsesColumnsByLevels) {
  EXPECT_EQ(*parse_case_layout("3x2"), (CaseLayout{3, 2}));
  EXPECT_EQ(*parse_case_layout("3X2"), (CaseLayout{3, 2}));
  EXPECT_EQ(parse_case_layout("3x2")->name(), "3x2");
}

TEST(CaseLayout, RefusesAMalformedLayout) {
  for (const char* text : {"", "x", "3", "3x", "x2", "3*2", "3x2x1", " 3x2", "3x2 ", "-3x2", "+3x2", "3x-2", "axb"}) {
    auto l = parse_case_layout(text);
    ASSERT_FALSE(l.ok()) << text;
    EXPECT_EQ(l.error().message(), std::string("layout '") + text + "' is not COLSxROWS");
    EXPECT_EQ(l.error().hint, "e.g. 3x2: 3 boards side by side on each of 2 levels");
  }
  EXPECT_EQ(parse_case_layout("0x2").error().message(),
            "layout '0x2' has no room: it needs at least 1 column and 1 level");
  EXPECT_EQ(parse_case_layout("100x100").error().message(), "layout '100x100' is larger than a case for 1000 boards");
  EXPECT_EQ(parse_case_layout("99999999999x1").error().message(),
            "layout '99999999999x1' is larger than a case for 1000 boards");
}

}  // namespace
}  // namespace beowulf
