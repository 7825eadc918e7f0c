#pragma once
// SimState: what a sim is made of, read back from its journal, the file `state` in the
// sim's state directory. The journal is append-only and each record is written BEFORE
// the thing it names is made, so that `sim down` can remove everything even when
// `sim up` (or the machine's processes) died half-way.
//
// Format, one record a line, fields separated by one space:
//   beowulf-sim 1                      first line: format and version
//   sim NAME SUBNET PROFILE            the sim's settings
//   node LABEL ADDRESS                 a node and its address
//   netns NAMESPACE                    a network namespace (made next)
//   mount PATH                         a tmpfs mounted in the host's namespace (the nodes' files)
//   process LABEL ROLE PID START       a process we started (ROLE holder or sshd), its
//                                      start time in clock ticks after boot (/proc/PID/stat)
//   fault LABEL KIND [ARG]             a fault applied to a node
//   heal LABEL                         every fault on the node undone

#include <sys/types.h>

#include <map>
#include <string>
#include <vector>

#include "core/result.h"

namespace beowulf::sim {

struct NodeRecord {
  std::string label;    ///< "master", "node1"
  std::string address;  ///< "198.18.0.11"
};

struct ProcessRecord {
  pid_t pid = 0;
  unsigned long long start_time = 0;  ///< field 22 of /proc/PID/stat: tells a reused pid apart
};

struct FaultRecord {
  std::string kind;  ///< "port-block"
  std::string arg;   ///< "22", or empty
};

struct SimState {
  std::string name, subnet, profile;
  std::vector<NodeRecord> nodes;
  std::vector<std::string> netns;  ///< in the order they were made
  std::vector<std::string> mounts;  ///< tmpfs mount points, in the order they were made
  /// The last recorded process of each role on each node: processes[label][role].
  std::map<std::string, std::map<std::string, ProcessRecord>> processes;
  /// The faults applied and not yet healed, per node, in the order applied.
  std::map<std::string, std::vector<FaultRecord>> faults;

  /// The node labelled `label`, or nullptr.
  const NodeRecord* node(const std::string& label) const;
};

/// The first line of every journal.
inline constexpr const char* kStateHeader = "beowulf-sim 1";

/// Reads a journal's text. Fails (naming `path` and the line) on an unknown record or a
/// malformed field. A last line without its newline (a write cut short) is ignored.
Result<SimState> parse_state(const std::string& text, const std::string& path);

/// Appends records to a journal, each one written out (O_APPEND) before it returns.
class StateLog {
 public:
  /// Opens (creating with mode 0600) the journal at `path`.
  static Result<StateLog> open(const std::string& path);
  StateLog(StateLog&& other) noexcept;
  StateLog& operator=(StateLog&&) = delete;
  StateLog(const StateLog&) = delete;
  ~StateLog();

  /// Appends `record` (without its newline). Fails when the write fails.
  Status append(const std::string& record);

 private:
  StateLog(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}
  int fd_ = -1;
  std::string path_;
};

}  // namespace beowulf::sim
