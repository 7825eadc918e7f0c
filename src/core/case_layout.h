#pragma once
// The recipe's 3D-printed case (docs/recipe.md, step 6) as pure values: how N
// boards are laid out in it, and the parts it takes to print.
//
// How we read the recipe's rules (docs/case.md has the same with a table):
//  - A layout is COLSxROWS: COLS boards side by side on a level, ROWS levels stacked.
//    Levels are filled from the bottom, each from the left, so only the top level can
//    hold fewer boards than COLS.
//  - Every board lies in a tray of its own: a base board under it and a base board over
//    it. That is the recipe's "2xN base boards".
//  - The base boards form decks: the floor of level 1, one deck between each two levels
//    (the roof of the level below lying on the floor of the level above), and the roof
//    of the top level. A stack of L levels has L+1 decks.
//  - Where two base boards sit side by side in a deck there is a seam, held by 2 middle
//    connectors (front and back): "2 middle connectors to connect the two base boards on
//    each layer". One pair holds a seam through both base boards of a doubled deck.
//  - Each level has its two ends closed by end connectors, 2 at each end (front and
//    back): "4 end connectors per level".
// The recipe's 2x2 example: 4 boards x 2 = 8 base boards; 2 levels x 4 = 8 end
// connectors; 3 decks x 1 seam x 2 = 6 middle connectors. A single column (a vertical
// stack) has no seams, so "only four end connectors per level" and no middle connector.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace beowulf {

/// The most boards a case is planned for: far beyond any shelf, small enough that no
/// count overflows.
inline constexpr int kMaxCaseBoards = 1000;

/// A shape for the case: `columns` boards side by side on each level, `levels` levels.
struct CaseLayout {
  int columns = 1;
  int levels = 1;

  int slots() const { return columns * levels; }
  /// "3x2".
  std::string name() const;
  bool operator==(const CaseLayout&) const = default;
};

/// Parses "COLSxROWS" ("3x2", "3X2"). Fails (bad input) on anything else, on a zero,
/// and on more than kMaxCaseBoards slots.
Result<CaseLayout> parse_case_layout(std::string_view text);

/// The layouts that hold `boards` boards with neither a column nor a level to spare (one
/// column fewer or one level fewer would not hold them), widest first:
/// 5 boards -> 5x1, 3x2, 2x3, 1x5. Empty when boards is out of 1..kMaxCaseBoards.
std::vector<CaseLayout> layouts_for(int boards);

/// "5x1, 3x2, 2x3, 1x5".
std::string layout_names(const std::vector<CaseLayout>& layouts);

/// The parts to print for a case.
struct BillOfMaterials {
  int base_boards = 0;
  int end_connectors = 0;
  int middle_connectors = 0;

  int total() const { return base_boards + end_connectors + middle_connectors; }
  bool operator==(const BillOfMaterials&) const = default;
};

/// N boards placed in a layout that holds them: what `beowulf case` prints and draws.
class CasePlan {
 public:
  /// Places `boards` boards in `layout`, or in the default layout when it is nullopt:
  /// the layout of layouts_for(boards) closest to square, and on a tie the one with
  /// fewer levels (a lower stack stands steadier and each board warms fewer above it).
  /// Fails (bad input) when boards is out of 1..kMaxCaseBoards, or when the layout is
  /// not one of layouts_for(boards): "a 2x1 layout holds 2 boards, not 5", hint
  /// "layouts for 5 boards: 5x1, 3x2, 2x3, 1x5".
  static Result<CasePlan> make(int boards, std::optional<CaseLayout> layout = std::nullopt);

  int boards() const { return boards_; }
  const CaseLayout& layout() const { return layout_; }

  /// "4 boards in a 2x2 layout".
  std::string summary() const;

  /// How the boards sit: "2 boards side by side on each level, 2 levels", "1 board on
  /// each level, 5 levels", "3 boards side by side on each level, 3 levels (level 3 holds 1)".
  std::string describe() const;

  /// Boards on level `level` (1 = the bottom level).
  int boards_on_level(int level) const;

  /// Base boards side by side in each deck, bottom deck first (levels + 1 decks): the
  /// widest of the two layers in a doubled deck.
  std::vector<int> deck_widths() const;

  /// The parts, by the rules at the top of this file.
  BillOfMaterials bill_of_materials() const;

 private:
  CasePlan(int boards, CaseLayout layout) : boards_(boards), layout_(layout) {}

  int boards_;
  CaseLayout layout_;
};

}  // namespace beowulf
