#pragma once
// ProgramSync: before a launch, every node the ranks land on must hold the program at the
// same absolute path, byte for byte (mpiexec starts it by path on each node). One round
// trip per node does two jobs: `sha256sum` of the path proves that the node answers (a
// node that does not is named, and nothing is launched: mpiexec would hang on it) and
// says whether the program is there and the same. Where it is missing or different, the
// master's copy is sent over ssh and renamed into place (a running program there is not
// disturbed), mode kept.

#include <sys/types.h>

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/inventory.h"
#include "core/result.h"
#include "remote/ssh.h"

namespace beowulf::launch {

/// The shell command that prints the sha256 of `path` (and fails quietly when it is missing).
std::string checksum_command(const std::string& path);

/// The checksum in what `sha256sum` printed; nullopt when it printed none.
std::optional<std::string> parse_checksum(std::string_view output);

/// The shell command that installs the bytes on its stdin at `path` with `mode`: into a
/// temporary file beside it, then renamed over it, making the folder when missing.
std::string install_command(const std::string& path, mode_t mode);

/// The absolute path of `program`: as given when it holds a '/', else found on PATH.
/// Fails (bad input) when there is no such executable file.
Result<std::string> resolve_program(const std::string& program);

struct SyncOptions {
  bool copy = true;                                ///< false (--no-sync): only check that nodes answer
  std::chrono::milliseconds timeout{15000};        ///< per node: a node slower than this does not answer
  int cancel_fd = -1;
};

struct SyncReport {
  std::vector<std::string> copied;  ///< the nodes that got the program, in order
};

/// Checks every node of `nodes` (the master is skipped: it is the source) and copies the
/// program at `path` where it is missing or different. Fails naming the first node that
/// does not answer, "worker002 (198.18.0.12): does not answer: ssh: connection refused",
/// or whose copy failed.
Result<SyncReport> sync_program(const std::vector<Node>& nodes, const remote::Ssh& ssh, const std::string& path,
                                const SyncOptions& options);

}  // namespace beowulf::launch
