#pragma once
// NestedBeowulf: one beowulf command run by another (doctor --fix runs `beowulf add`),
// interruptible the way the user's own command is. The nested command runs in its own
// process group; a cancel sends it SIGTERM, so that it ends its own children (each in a
// group of its own, out of reach of a signal to its group) as it does on Ctrl-C, then
// SIGKILL to its group when it has not ended `grace` later. A plain SIGKILL would leave
// its children running.

#include <chrono>

#include "core/result.h"
#include "sys/process.h"

namespace beowulf::cli {

struct NestedRun {
  sys::ProcessResult result;  ///< its exit status and output
  bool cancelled = false;     ///< `cancel_fd` fired (or `limit` passed: result.timed_out)
};

/// Runs `spec` (its `input` on stdin, then closed) until it ends; `cancel_fd` readable or
/// `limit` passed ends it as said above. Fails only when it cannot start.
Result<NestedRun> run_nested(const sys::ProcessSpec& spec, int cancel_fd, std::chrono::milliseconds limit,
                             std::chrono::milliseconds grace = std::chrono::seconds(5));

}  // namespace beowulf::cli
