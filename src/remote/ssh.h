#pragma once
// Ssh: the OpenSSH transport. It builds the argv of the system's `ssh` and `scp` (the
// clients the MPI launchers use too) as sys::ProcessSpec values for FanOut to run; it
// runs nothing itself.
//
// Contract:
// - Every argv multiplexes through ControlMaster=auto sockets `<control_dir>/%C` (a hash:
//   the path stays under the Unix socket limit) kept ControlPersist (10m) after the
//   last use, unless `multiplex` is off. The control directory must exist: see
//   ensure_control_dir().
// - A multiplexed call rides on any live master connection to the node, however that
//   one logged in: to prove that key login works, turn `multiplex` off.
// - Key login (the default): BatchMode=yes (never a prompt) and StrictHostKeyChecking=yes
//   (an unknown host key is refused). First contact (`first_contact`): password login
//   allowed, one password prompt, and StrictHostKeyChecking=accept-new: an unknown host
//   key is trusted and recorded, a changed one is refused by ssh; `pinned` first contact
//   trusts only the keys in `known_hosts` (StrictHostKeyChecking=yes, no global file).
//   No argv ever carries StrictHostKeyChecking=no.
// - Host keys go to the standard ~/.ssh/known_hosts unless `known_hosts` names another.
// - The remote command is one string, run by the remote user's shell: quote arguments
//   with shell_quote()/shell_join().
// - scp keeps modes and times (-p); its remote paths are taken literally (SFTP mode).
// - A local target (the master: this machine) is not reached over ssh: its command runs
//   here with `sh -c`, its copies with `cp -p`. This is the one place that says so.
// - ssh exits 255 when ssh itself failed (scp exits 1, whatever failed): remote/explain.h
//   reads that and its stderr in user terms.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "remote/target.h"
#include "sys/process.h"

namespace beowulf::remote {

struct SshOptions {
  std::string control_dir;                     ///< ControlMaster sockets: default_control_dir()
  std::string known_hosts;                     ///< empty: ssh's default ~/.ssh/known_hosts
  std::string identity;                        ///< empty: ssh's default keys
  std::string config_file;                     ///< empty: ssh's default (~/.ssh/config)
  bool first_contact = false;                  ///< password login and accept-new (see above)
  bool pinned = false;                         ///< trust only `known_hosts`'s keys, never a new one
  bool multiplex = true;                       ///< off: a fresh connection (e.g. to prove key login)
  std::chrono::seconds connect_timeout{10};
  std::chrono::seconds server_alive_interval{5};  ///< a dead node is noticed after 3 of these
  std::string control_persist = "10m";
  std::string ssh_program = "ssh";             ///< looked up on PATH
  std::string scp_program = "scp";
};

class Ssh {
 public:
  explicit Ssh(SshOptions options = {});

  /// The argv that runs `command` (one string, for the remote shell) on `target`; `sh -c
  /// COMMAND` when the target is local.
  sys::ProcessSpec run(const Target& target, const std::string& command) const;

  /// The argv that copies local `sources` to `destination` on `target` (a directory
  /// when there are several sources), keeping modes; `recursive` copies directories.
  /// `cp -p` when the target is local.
  sys::ProcessSpec copy_to(const Target& target, const std::vector<std::string>& sources,
                           const std::string& destination, bool recursive = false) const;

  /// The argv that copies `source` on `target` to the local `destination`, keeping modes
  /// (`cp -p` when the target is local).
  sys::ProcessSpec copy_from(const Target& target, const std::string& source, const std::string& destination,
                             bool recursive = false) const;

  /// The ControlMaster socket this transport's argv for `target` ride on; empty when it
  /// is not known here: multiplexing off, a config file of its own, a local target, or
  /// no user named.
  std::string master_socket(const Target& target) const;

  /// The -o options every argv carries (for tests and for writing ~/.ssh/config).
  std::vector<std::string> options() const;

  const SshOptions& settings() const { return options_; }

 private:
  /// How every argv of ours starts: `program`, our config file (-F) and options().
  std::vector<std::string> command_line(const std::string& program) const;
  /// scp's: command_line(scp) with the port, modes kept, -r when `recursive`, then "--".
  std::vector<std::string> scp_command_line(const Target& target, bool recursive) const;
  /// scp's, or `cp -p` for a local target.
  std::vector<std::string> copy_command_line(const Target& target, bool recursive) const;

  SshOptions options_;
};

/// sys::beowulf_home()/ssh (~/.beowulf/ssh, or $BEOWULF_HOME/ssh), where the
/// ControlMaster sockets live.
std::string default_control_dir();

/// Makes `dir` (and its parents) with mode 0700 when missing. Fails when it cannot, or
/// when `dir` is not a directory.
Status ensure_control_dir(const std::string& dir);

/// `word` quoted for a POSIX shell: 'it'\''s' ; bare when it is only safe characters.
std::string shell_quote(std::string_view word);

/// The words quoted and joined with spaces: one command line for the remote shell.
std::string shell_join(const std::vector<std::string>& words);

}  // namespace beowulf::remote
