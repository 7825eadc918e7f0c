#include "core/case_svg.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

namespace beowulf {
namespace {

std::string svg_for(int boards, std::optional<CaseLayout> layout = std::nullopt) {
  auto plan = CasePlan::make(boards, layout);
  EXPECT_TRUE(plan.ok()) << plan.error().message();
  return plan.ok() ? case_svg(*plan) : "";
}

int count(const std::string& text, const std::string& what) {
  int n = 0;
  for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + what.size())) ++n;
  return n;
}

// XML well-formedness is checked with xmllint in cli/case_command_test.cc.
TEST(CaseSvg, IsOneSvgDocument) {
  std::string svg = svg_for(4, CaseLayout{2, 2});
  EXPECT_EQ(svg.rfind(R"(<svg xmlns="http://www.w3.org/2000/svg" width=")", 0), 0u);
  EXPECT_TRUE(svg.ends_with("</svg>\n"));
  EXPECT_EQ(count(svg, "<svg"), 1);
  EXPECT_EQ(count(svg, "<g "), count(svg, "</g>"));
  EXPECT_NE(svg.find("<title>beowulf case: 4 boards in a 2x2 layout</title>"), std::string::npos);
}

TEST(CaseSvg, NamesEveryLevelOnce) {
  for (int n = 1; n <= 16; ++n) {
    auto plan = CasePlan::make(n);
    ASSERT_TRUE(plan.ok());
    std::string svg = case_svg(*plan);
    int levels = plan->layout().levels;
    for (int level = 1; level <= levels; ++level) {
      EXPECT_EQ(count(svg, fmt::format(">level {}</text>", level)), 1) << n << " boards, level " << level;
      EXPECT_EQ(count(svg, fmt::format(R"(<g id="level-{}">)", level)), 1) << n << " boards, level " << level;
    }
    EXPECT_EQ(count(svg, fmt::format(">level {}</text>", levels + 1)), 0) << n;
  }
}

TEST(CaseSvg, DrawsEveryPartItCounts) {
  for (int n = 1; n <= 16; ++n) {
    auto plan = CasePlan::make(n);
    ASSERT_TRUE(plan.ok());
    std::string svg = case_svg(*plan);
    BillOfMaterials bill = plan->bill_of_materials();
    EXPECT_EQ(count(svg, R"(class="board")"), n) << n;
    EXPECT_EQ(count(svg, R"(class="base-board")"), bill.base_boards) << n;
    // Seen from the front, each connector hides its twin at the back.
    EXPECT_EQ(2 * count(svg, R"(class="end-connector")"), bill.end_connectors) << n;
    EXPECT_EQ(2 * count(svg, R"(class="middle-connector")"), bill.middle_connectors) << n;
    EXPECT_EQ(count(svg, ">empty</text>"), plan->layout().slots() - n) << n;
  }
}

TEST(CaseSvg, LegendGivesThePartsCounts) {
  std::string svg = svg_for(4, CaseLayout{2, 2});
  EXPECT_NE(svg.find(">8 base boards</text>"), std::string::npos);
  EXPECT_NE(svg.find(">8 end connectors</text>"), std::string::npos);
  EXPECT_NE(svg.find(">6 middle connectors</text>"), std::string::npos);
  EXPECT_NE(svg.find(">22 parts in all</text>"), std::string::npos);
}

TEST(CaseSvg, SaysHowTheBoardsSit) {
  EXPECT_NE(svg_for(4).find(">2 boards side by side on each level, 2 levels; seen from the front</text>"),
            std::string::npos);
  EXPECT_NE(svg_for(7).find(">3 boards side by side on each level, 3 levels (level 3 holds 1); seen from the front<"),
            std::string::npos);
  EXPECT_NE(svg_for(3, CaseLayout{1, 3}).find(">1 board on each level, 3 levels; seen from the front<"),
            std::string::npos);
  EXPECT_NE(svg_for(1).find(">1 board on each level, 1 level; seen from the front<"), std::string::npos);
}

}  // namespace
}  // namespace beowulf
