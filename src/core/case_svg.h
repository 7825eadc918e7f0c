#pragma once
// A picture of the case to build: the stack seen from the front, as an SVG document.

#include <string>

#include "core/case_layout.h"

namespace beowulf {

/// A standalone SVG document showing `plan` from the front: each level (labelled
/// "level 1" at the bottom, "level 2" above, ...) as a tray of base boards with its
/// boards, its end connectors at both ends and the middle connectors on every seam, and
/// a legend with the parts counts of plan.bill_of_materials(). Each `<g>` of a level has
/// the id "level-N". Connectors at the back are hidden behind their twins at the front,
/// as the legend says. Never fails.
std::string case_svg(const CasePlan& plan);

}  // namespace beowulf
