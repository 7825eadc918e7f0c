#pragma once
// ProgramSync: before a launch, every node the ranks land on must hold the program and
// the files it reads at the same absolute paths, byte for byte (mpiexec starts it by path
// on each node, and the boards share no folder), and what the MPI's launch needs there.
// One round trip per node does it all: `sha256sum` of every file proves that the node
// answers (a node that does not is named, and nothing is launched: mpiexec would hang
// on it), says which files are missing or different, and a test of each required path
// says what is not installed. Then each node that lacks files gets them in one tar
// stream over its ssh socket, modes kept; a file is replaced by a new one (unlinked
// first), so a program running there is not disturbed.

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/inventory.h"
#include "core/result.h"
#include "remote/fan_out.h"
#include "remote/ssh.h"

namespace beowulf::launch {

/// A path every node must have, and what to say where it is missing.
struct Requirement {
  std::string path;     ///< "/usr/bin/orted"
  std::string what;     ///< "Open MPI is not installed (ring_c is built with it)"
  std::string package;  ///< the Debian package that brings it: "openmpi-bin"
};

struct SyncRequest {
  std::vector<std::string> files;  ///< absolute paths: compared, and sent where missing or different
  std::vector<Requirement> required;
  /// The folder the ranks start in (the master's working directory), made where missing
  /// (mpiexec starts the ranks there); empty: none.
  std::string workdir;
};

/// What one node said to check_command.
struct NodeAnswer {
  std::map<std::string, std::string> sums;  ///< path to sha256, for the files it has and can read
  std::vector<std::string> missing;         ///< required paths it lacks
};

/// The shell command that makes the working folder, prints the sha256 of each file
/// (nothing for a missing one) and "missing PATH" for each required path that is not
/// there; see answered() for its exit status.
std::string check_command(const SyncRequest& request);

/// Whether a node ran check_command: it exits 0, or 1 when a file is missing there
/// (sha256sum's status); ssh's own failures are 255.
bool answered(const remote::Outcome& outcome);

/// The checksums and missing paths in what check_command printed.
NodeAnswer parse_answer(std::string_view output);

/// The files of `files` whose checksum in `theirs` is not the one in `mine`, in order.
std::vector<std::string> differing_files(const std::vector<std::string>& files,
                                         const std::map<std::string, std::string>& mine,
                                         const std::map<std::string, std::string>& theirs);

/// The shell command that unpacks the tar stream on its stdin at the root, keeping modes.
std::string unpack_command();

/// The absolute path of `program`: as given when it holds a '/', else found on PATH.
/// Fails (bad input) when there is no such executable file.
Result<std::string> resolve_program(const std::string& program);

struct SyncOptions {
  bool copy = true;                                ///< false (--no-sync): compare and send nothing
  std::chrono::milliseconds timeout{15000};        ///< per node: a node slower than this does not answer
  std::size_t fanout = 64;                         ///< ssh clients and copies at once
  int cancel_fd = -1;
  /// Called as each node's copy ends: bytes sent so far, and in all (every node's copy
  /// counted); not called when nothing is sent.
  std::function<void(std::uint64_t done, std::uint64_t total)> progress;
};

/// Files sent, and to which nodes (nodes that lacked the same files form one group).
struct SentGroup {
  std::vector<std::string> files;
  std::vector<std::string> nodes;
};

struct SyncReport {
  std::vector<SentGroup> sent;  ///< empty when every node had everything
};

/// Checks every node of `nodes` (the master is skipped: it is the source) and sends the
/// files of `request` where they are missing or different. Fails naming the first node
/// that does not answer, "worker002 (198.18.0.12): does not answer: ssh: connection
/// refused", lacks a required path, or whose copy failed.
Result<SyncReport> sync_files(const std::vector<Node>& nodes, const remote::Ssh& ssh, const SyncRequest& request,
                              const SyncOptions& options);

}  // namespace beowulf::launch
