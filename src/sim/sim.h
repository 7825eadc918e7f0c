#pragma once
// Sim: a virtual cluster on this machine. Each node (the master, node1..nodeN) is a
// network namespace joined to the sim's private bridge by a veth pair, with its own UTS
// and mount namespaces (its own hostname, /etc, /home, /root, /run, /tmp) and its own
// sshd with its own host keys. The bridge lives in a namespace of its own, so the host's
// namespace gets no interface, no address and no route into 198.18.0.0/15; no node has
// a default route.
//
// Everything `up` makes is first recorded in the sim's journal (see state.h) so that
// `down` removes it even after a crash half-way. Every operation needs root.

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "core/result.h"
#include "sim/state.h"
#include "sys/process.h"

namespace beowulf::sim {

struct UpOptions {
  std::string name = "default";           ///< [a-z0-9-], 1 to 16 characters
  std::string state_dir;                  ///< empty: default_state_dir(name)
  std::string subnet = "198.18.0.0/24";   ///< inside 198.18.0.0/15
  int workers = 3;
  std::string profile = "parallella";
  int cores = 1;  ///< cores each board has: its processes run on that many of our CPUs
  bool cgroups = false;  ///< each node gets a /sys/fs/cgroup with cgroup v1 hierarchies (slurmd needs one)
};

/// How a command runs on a node.
struct ExecOptions {
  std::string user;                        ///< empty: root; else a login-like environment as that user
  std::string input;                       ///< on the command's stdin
  std::chrono::milliseconds timeout{60000};
};

struct NodeStatus {
  std::string label, address;
  std::string hostname;  ///< "-" when the node's namespaces are gone
  bool sshd_up = false;  ///< something listens on the node's address, port 22
};

/// Called after each node is up: (nodes up, nodes in all).
using Progress = std::function<void(int done, int total)>;

class Sim {
 public:
  /// /run/beowulf-sim/NAME.
  static std::string default_state_dir(const std::string& name);

  /// Checks `options` and refuses bad input before anything is made; then makes the
  /// sim and waits until every node's sshd listens. Fails when not root, when the
  /// state directory already holds a sim (or leftovers of one), or when a step fails on
  /// a node: then everything made so far is removed again.
  static Result<Sim> up(const UpOptions& options, const Progress& progress = {});

  /// The sim whose journal is in `state_dir`. Fails when there is none.
  static Result<Sim> open(const std::string& state_dir);

  /// Removes everything the journal in `state_dir` records: the processes in the sim's
  /// namespaces, the namespaces (and with them every link and mount), the node
  /// directories, the journal. Fails when there is no journal or something stays behind.
  static Status down(const std::string& state_dir);

  const SimState& state() const { return state_; }
  const std::string& state_dir() const { return dir_; }
  /// "198.18.0.11" for "node1"; empty for an unknown label.
  std::string address(const std::string& label) const;
  /// The profile's user ("linaro") and password ("linaro").
  std::string board_user() const;
  std::string board_password() const;

  /// The argv that runs `command` (argv, no shell) on node `label`, as root or as
  /// options.user with that user's HOME, USER, SHELL, PATH, in their home directory.
  /// Fails (bad input) for an unknown node or user, or when the node's namespaces are gone.
  Result<std::vector<std::string>> exec_argv(const std::string& label, const std::vector<std::string>& command,
                                             const std::string& user = {}) const;

  /// Runs `command` on node `label` and collects its output and exit status.
  Result<sys::ProcessResult> exec(const std::string& label, const std::vector<std::string>& command,
                                  const ExecOptions& options = {}) const;

  /// Each node's address, hostname and whether its sshd listens.
  std::vector<NodeStatus> status() const;

  /// Applies fault `kind` (sshd-down, link-down, port-block PORT, slow-link RATE,
  /// clone-host-keys FROM) to node `label`, recorded so heal and down undo it. Fails (bad
  /// input) for an unknown kind or a bad argument, before anything changes.
  Status fault(const std::string& label, const std::string& kind, const std::string& arg = {});

  /// Undoes every fault applied to node `label`, newest first.
  Status heal(const std::string& label);

  /// Sim::down(state_dir()).
  Status down() const { return down(dir_); }

 private:
  Sim(std::string dir, SimState state) : dir_(std::move(dir)), state_(std::move(state)) {}
  Status reload();

  std::string dir_;
  SimState state_;
};

/// The error for a command run without root: what needs it and why.
Error needs_root(const std::string& step);

}  // namespace beowulf::sim
