#pragma once
// The one place errors become messages and exit statuses (docs/architecture.md, "Errors").

#include "core/error.h"

namespace beowulf::cli {

enum ExitStatus : int {
  exit_ok = 0,
  exit_failed = 1,       ///< failed on some node
  exit_usage = 2,        ///< bad input, nothing changed
  exit_interrupted = 130,
};

/// Prints `beowulf: error: ...` (and `hint: ...`) on stderr; returns the exit status.
int report(const Error& error);

}  // namespace beowulf::cli
