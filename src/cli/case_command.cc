// `beowulf case`: the recipe's 3D-printed case as a parts list and a picture.

#include <fmt/core.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <memory>
#include <optional>
#include <string>

#include "cli/command.h"
#include "cli/report.h"
#include "core/case_layout.h"
#include "core/case_svg.h"

namespace beowulf::cli {
namespace {

struct CaseOptions {
  int nodes = 0;
  std::string layout;  ///< empty: the default layout
  std::string svg;     ///< empty: no picture
};

void print_parts(const CasePlan& plan) {
  BillOfMaterials bill = plan.bill_of_materials();
  int seams = bill.middle_connectors / 2;
  fmt::print("beowulf case: {}\n", plan.summary());
  fmt::print("{}\n\n", plan.describe());
  fmt::print("{:<18}{:>5}  {}\n", "part", "count", "rule");
  fmt::print("{:<18}{:>5}  {}\n", "base board", bill.base_boards, "2 per board: one under it, one over it");
  fmt::print("{:<18}{:>5}  {}\n", "end connector", bill.end_connectors, "4 per level: 2 at each end");
  std::string seams_text = seams == 0 ? std::string("none, one board on each level")
                                      : fmt::format("{} seam{}", seams, seams == 1 ? "" : "s");
  fmt::print("{:<18}{:>5}  2 per seam between base boards side by side: {}\n", "middle connector",
             bill.middle_connectors, seams_text);
  fmt::print("{:<18}{:>5}\n", "total", bill.total());
}

/// Writes `text` to `path`. A plain write, not atomic: the picture is cheap to redo, and
/// sys/ has no atomic-write helper yet.
Status write_file(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (out) out << text;
  if (out) out.close();
  if (!out) return Error{fmt::format("write {}: {}", path, std::strerror(errno))};
  return {};
}

int run_case(const CaseOptions& options) {
  std::optional<CaseLayout> layout;
  if (!options.layout.empty()) {
    auto parsed = parse_case_layout(options.layout);
    if (!parsed) return report(parsed.error());
    layout = *parsed;
  }
  auto plan = CasePlan::make(options.nodes, layout);
  if (!plan) return report(plan.error());
  if (!options.svg.empty()) {
    if (auto written = write_file(options.svg, case_svg(*plan)); !written) return report(written.error());
  }
  print_parts(*plan);
  if (!options.svg.empty()) fmt::print("\nwrote {}: the stack seen from the front\n", options.svg);
  return exit_ok;
}

}  // namespace

Run attach_case(CLI::App& sub) {
  auto options = std::make_shared<CaseOptions>();
  sub.add_option("--nodes,-n", options->nodes, "how many boards the case holds")->required()->type_name("N");
  sub.add_option("--layout", options->layout,
                 "COLS boards side by side on each of ROWS levels (default: as square as N allows)")
      ->type_name("COLSxROWS");
  sub.add_option("--svg", options->svg, "also write a picture of the stack to FILE (SVG)")->type_name("FILE");
  sub.footer(
      "The recipe's 3D-printed case: 2 base boards per board, 4 end connectors per level,\n"
      "2 middle connectors on each seam where base boards sit side by side (docs/case.md).\n\n"
      "Example:\n"
      "  beowulf case --nodes 4 --layout 2x2 --svg case.svg");
  return [options] { return run_case(*options); };
}

}  // namespace beowulf::cli
