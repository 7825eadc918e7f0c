#pragma once
// Streamed: one child (mpiexec, or a command in the sim's master) run with its lines
// passed through as they come, stdout to stdout and stderr to stderr, and Ctrl-C (the
// cancel fd) killing it and everything it started.

#include "sys/process.h"

namespace beowulf::cli {

/// Runs `spec`; returns its exit status (128+N when signal N ended it, 130 when
/// cancelled through `cancel_fd`, 127 when it could not start, with the reason on stderr).
int run_streamed(const sys::ProcessSpec& spec, int cancel_fd);

}  // namespace beowulf::cli
