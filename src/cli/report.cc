#include "cli/report.h"

#include <fmt/core.h>

#include "cli/style.h"
#include "core/printable.h"

namespace beowulf::cli {

int report(const Error& error) {
  // A message may quote a node (its stderr, its hostname): nothing in it may drive the terminal.
  fmt::print(stderr, "{} {}\n", styled(stderr, "1;31", "beowulf: error:"), printable(error.message()));
  if (!error.hint.empty()) fmt::print(stderr, "{} {}\n", styled(stderr, "1", "hint:"), printable(error.hint));
  return error.kind == ErrorKind::bad_input ? exit_usage : exit_failed;
}

}  // namespace beowulf::cli
