#include "cli/report.h"

#include <fmt/core.h>

#include "cli/style.h"

namespace beowulf::cli {

int report(const Error& error) {
  fmt::print(stderr, "{} {}\n", styled(stderr, "1;31", "beowulf: error:"), error.message());
  if (!error.hint.empty()) fmt::print(stderr, "{} {}\n", styled(stderr, "1", "hint:"), error.hint);
  return error.kind == ErrorKind::bad_input ? exit_usage : exit_failed;
}

}  // namespace beowulf::cli
