#pragma once
// ForegroundLaunch: mpiexec run the way a shell runs a job in the foreground, with
// `beowulf run` between it and the terminal: our stdin is passed on to it as it comes
// (both launchers hand it to rank 0; the end of it, Ctrl-D on a terminal, reaches rank 0
// as its end), its stdout and stderr come out unchanged as they come (a prompt without a
// newline too), and the exit status is its own.
//
// Ctrl-C (or SIGTERM, SIGHUP) reaches us, not mpiexec: mpiexec runs in its own process
// group and the terminal stays ours. We pass it on as SIGINT to mpiexec's group, which
// is each launcher's own clean way to end every rank on every node; a second Ctrl-C, or
// `grace` without an end, kills the group. An interrupted launch exits 130 whatever
// mpiexec said (hydra exits 0 after it forwarded a Ctrl-C).

#include <chrono>
#include <string>
#include <vector>

namespace beowulf::cli {

/// Runs `argv`; returns its exit status (128+N when signal N ended it), 130 when
/// interrupted through `interrupt_fd` (readable: a signal came; one byte per signal),
/// 127 with the reason on stderr when it could not start.
int run_in_foreground(const std::vector<std::string>& argv, int interrupt_fd,
                      std::chrono::milliseconds grace = std::chrono::seconds(10));

}  // namespace beowulf::cli
