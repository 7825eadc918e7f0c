#include "core/case_svg.h"

#include <fmt/format.h>

namespace beowulf {
namespace {

// Sizes in SVG user units (pixels at 100%). A level is a tray: floor, boards, roof.
constexpr int kSlot = 200;        // width of a base board, one board per base board
constexpr int kPlate = 10;        // thickness of a base board
constexpr int kInside = 84;       // room between a level's floor and its roof
constexpr int kPitch = kInside + 2 * kPlate;
constexpr int kEnd = 14;          // width of an end connector
constexpr int kLeft = 120;        // room for "level N"
constexpr int kTop = 92;          // room for the title
constexpr int kBottom = 40;
constexpr int kLegendGap = 56;
constexpr int kLegendWidth = 300;

// Each part's colours, the same in the stack and in the legend.
constexpr const char* kBaseFill = "#e9e3d3";
constexpr const char* kBaseLine = R"( rx="2" stroke="#9b927c" stroke-width="1.5")";
constexpr const char* kEndFill = "#e8833a";
constexpr const char* kEndLine = R"( rx="3" stroke="#a9561c" stroke-width="1.5")";
constexpr const char* kMiddleFill = "#3a78c9";
constexpr const char* kMiddleLine = R"( rx="3" stroke="#24508a" stroke-width="1.5")";
constexpr const char* kPcbFill = "#2f7d3b";

std::string rect(int x, int y, int w, int h, std::string_view fill, std::string_view extra = "") {
  return fmt::format(R"(<rect x="{}" y="{}" width="{}" height="{}" fill="{}"{}/>)", x, y, w, h, fill, extra) + "\n";
}

std::string line(int x1, int y1, int x2, int y2, std::string_view attributes) {
  return fmt::format(R"(<line x1="{}" y1="{}" x2="{}" y2="{}" {}/>)", x1, y1, x2, y2, attributes) + "\n";
}

std::string text(int x, int y, std::string_view content, std::string_view attributes) {
  return fmt::format(R"(<text x="{}" y="{}" {}>{}</text>)", x, y, attributes, content) + "\n";
}

/// Where things are: x of the left end of the plates, y of the bottom of level 1's floor.
struct Frame {
  int x0;
  int ground;
  int level_bottom(int level) const { return ground - (level - 1) * kPitch; }
  int slot_left(int column) const { return x0 + (column - 1) * kSlot; }
};

std::string base_board(int x, int y) {
  return rect(x + 1, y, kSlot - 2, kPlate, kBaseFill, std::string(kBaseLine) + R"( class="base-board")");
}

/// A board seen from its front edge: the PCB on standoffs, a heatsink, USB and Ethernet.
std::string board(int x, int floor_top, int number) {
  std::string s;
  int pcb_y = floor_top - 16;
  for (int post : {x + 18, x + kSlot - 22}) s += rect(post, pcb_y + 6, 4, 10, "#c9a227");
  s += rect(x + 10, pcb_y, kSlot - 20, 6, kPcbFill, R"( rx="1" class="board")");
  s += rect(x + 66, pcb_y - 24, 56, 24, "#8d969e", R"( rx="2")");  // heatsink
  for (int fin = 0; fin < 6; ++fin) s += rect(x + 70 + fin * 9, pcb_y - 32, 4, 8, "#8d969e");
  s += rect(x + 22, pcb_y - 12, 30, 12, "#b8bec4", R"( rx="1")");     // USB
  s += rect(x + kSlot - 58, pcb_y - 26, 40, 26, "#c9ced3", R"( rx="2")");  // Ethernet
  s += text(x + kSlot / 2, floor_top - kInside + 18, fmt::format("board {}", number),
            R"(text-anchor="middle" font-size="13" fill="#4a4a4a")");
  return s;
}

std::string empty_slot(int x, int level_bottom) {
  std::string s = rect(x + 4, level_bottom - kPitch + 4, kSlot - 8, kPitch - 8, "none",
                       R"( stroke="#b5b5b5" stroke-width="1.5" stroke-dasharray="6 5" rx="4")");
  s += text(x + kSlot / 2, level_bottom - kPitch / 2 + 5, "empty",
            R"(text-anchor="middle" font-size="13" font-style="italic" fill="#9a9a9a")");
  return s;
}

std::string end_connector(int x, int level_bottom) {
  return rect(x, level_bottom - kPitch + 1, kEnd, kPitch - 2, kEndFill,
              std::string(kEndLine) + R"( class="end-connector")");
}

/// A middle connector over the seam at `x`, around a deck `plates` base boards thick.
std::string middle_connector(int x, int deck_top, int plates) {
  return rect(x - 12, deck_top - 4, 24, plates * kPlate + 8, kMiddleFill,
              std::string(kMiddleLine) + R"( class="middle-connector")");
}

std::string level_group(const CasePlan& plan, const Frame& f, int level) {
  int columns = plan.layout().columns;
  int on = plan.boards_on_level(level);
  int bottom = f.level_bottom(level);
  std::string s = fmt::format(R"(<g id="level-{}">)", level) + "\n";
  s += text(f.x0 - kEnd - 20, bottom - kPitch / 2 + 6, fmt::format("level {}", level),
            R"(text-anchor="end" font-size="17" font-weight="bold" fill="#333")");
  for (int column = 1; column <= columns; ++column) {
    int x = f.slot_left(column);
    if (column > on) {
      s += empty_slot(x, bottom);
      continue;
    }
    s += base_board(x, bottom - kPlate);   // floor
    s += base_board(x, bottom - kPitch);   // roof
    s += board(x, bottom - kPlate, (level - 1) * columns + column);
  }
  s += end_connector(f.x0 - kEnd + 4, bottom);
  s += end_connector(f.slot_left(on + 1) - 4, bottom);
  return s + "</g>\n";
}

/// Middle connectors on every seam of every deck: deck d lies between levels d and d+1.
std::string middle_connectors(const CasePlan& plan, const Frame& f) {
  std::string s = "<g id=\"middle-connectors\">\n";
  std::vector<int> widths = plan.deck_widths();
  int levels = plan.layout().levels;
  for (int deck = 0; deck <= levels; ++deck) {
    int plates = deck == 0 || deck == levels ? 1 : 2;
    int top = deck == 0 ? f.ground - kPlate : f.level_bottom(deck) - kPitch;
    for (int seam = 1; seam < widths[deck]; ++seam) s += middle_connector(f.slot_left(seam + 1), top, plates);
  }
  return s + "</g>\n";
}

std::string plural(int count, std::string_view noun) {
  return fmt::format("{} {}{}", count, noun, count == 1 ? "" : "s");
}

std::string legend(const CasePlan& plan, int x, int y) {
  BillOfMaterials bill = plan.bill_of_materials();
  std::string s = "<g id=\"legend\">\n";
  s += text(x, y, "Parts to print", R"(font-size="17" font-weight="bold" fill="#333")");
  const std::string label = R"(font-size="15" fill="#333")";
  s += rect(x, y + 22, 40, kPlate, kBaseFill, kBaseLine);
  s += text(x + 56, y + 32, plural(bill.base_boards, "base board"), label);
  s += rect(x + 13, y + 50, kEnd, 30, kEndFill, kEndLine);
  s += text(x + 56, y + 70, plural(bill.end_connectors, "end connector"), label);
  s += rect(x + 8, y + 96, 24, 18, kMiddleFill, kMiddleLine);
  s += text(x + 56, y + 110, plural(bill.middle_connectors, "middle connector"), label);
  s += line(x, y + 128, x + 240, y + 128, R"(stroke="#bbb")");
  s += text(x + 56, y + 150, fmt::format("{} parts in all", bill.total()),
            R"(font-size="15" font-weight="bold" fill="#333")");
  const std::string note = R"(font-size="12.5" fill="#666")";
  s += text(x, y + 182, "Seen from the front: each connector", note);
  s += text(x, y + 198, "drawn has a twin at the back edge.", note);
  s += text(x, y + 214, "A base board under and over each board.", note);
  return s + "</g>\n";
}

}  // namespace

std::string case_svg(const CasePlan& plan) {
  CaseLayout layout = plan.layout();
  Frame f{kLeft + kEnd, kTop + layout.levels * kPitch};
  int stack_right = f.slot_left(layout.columns + 1) + kEnd;
  int width = stack_right + kLegendGap + kLegendWidth;
  int height = std::max(f.ground + kBottom, kTop + 240);

  std::string title = plan.summary();
  std::string s = fmt::format(R"(<svg xmlns="http://www.w3.org/2000/svg" width="{0}" height="{1}" )"
                              R"(viewBox="0 0 {0} {1}" font-family="DejaVu Sans, Helvetica, Arial, sans-serif">)",
                              width, height);
  s += "\n" + fmt::format("<title>beowulf case: {}</title>", title) + "\n";
  s += rect(0, 0, width, height, "#ffffff");
  s += text(24, 38, fmt::format("beowulf case: {}", title), R"(font-size="22" font-weight="bold" fill="#222")");
  s += text(24, 62, plan.describe() + "; seen from the front", R"(font-size="14" fill="#666")");
  s += line(kLeft - 10, f.ground + 5, stack_right + 10, f.ground + 5, R"(stroke="#999" stroke-width="2")");  // table
  for (int level = 1; level <= layout.levels; ++level) s += level_group(plan, f, level);
  s += middle_connectors(plan, f);
  s += legend(plan, stack_right + kLegendGap, kTop + 6);
  return s + "</svg>\n";
}

}  // namespace beowulf
