#pragma once
// Explain: why one node's run failed, in user terms. The one place that reads a NodeRun
// (how the job ended, what it wrote on stderr) against its Target: ssh's own failures,
// sudo's refusals, timeouts, signals and the last line a script wrote on stderr.
//
// Contract:
// - explain() is for a run that did not succeed; its Error names the node by its label
//   ("worker002 (198.18.0.12)"). Steps put their own name in front of `what`.
// - ssh's failures are read only for a remote target: exit status 255 for ssh, any
//   non-zero status for a copy (scp exits 1 whatever failed).
// - Durations print one way everywhere: seconds_text() ("10 s", "1.5 s").

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"
#include "remote/fan_out.h"
#include "remote/target.h"

namespace beowulf::remote {

/// What ran on the node, which decides how its failure reads.
enum class Ran {
  script,   ///< beowulf's own step: sudo's refusals and the last stderr line explain it
  command,  ///< the user's command (exec): its stderr was shown already; its status speaks
  copy,     ///< scp (cp on the master): any failure of scp's is read as ssh's
};

struct ExplainOptions {
  Ran ran = Ran::script;
  std::chrono::milliseconds timeout{0};  ///< the run's timeout, for the message
  bool password_login = false;           ///< first contact: "Permission denied" is a wrong password
};

/// Why ssh itself failed, in user terms.
enum class SshFailure {
  key_refused,       ///< key login refused: the key is not in authorized_keys
  wrong_password,    ///< password login refused
  host_key_changed,  ///< the node's host key differs from the recorded one
  host_key_unknown,  ///< no recorded host key (key login to a node never added)
  refused,           ///< the node answers, but nothing listens on the ssh port
  unreachable,       ///< no route, timed out, unknown name: the node is down or the address wrong
  closed,            ///< the node closed the connection before login (hosts.allow/deny?)
  other,             ///< any other failure of ssh's own
};

struct SshError {
  SshFailure failure;
  Error error;  ///< what: "ssh: connection refused"; hint: what to do
};

/// Why the run failed: "no answer within 1.5 s" (a command's: "timed out after 1.5 s"),
/// "interrupted", "could not start: REASON", "killed by signal 9", ssh's failure
/// ("ssh: connection refused", with a hint), a sudo refusal ("sudo asked for a
/// password"), the last line a script wrote on stderr, or "exited with 3".
Error explain(const NodeRun& run, const Target& target, const ExplainOptions& how = {});

/// ssh's (or scp's) own failure in the run, when that is why it failed; nullopt when the
/// node's command itself failed, the run succeeded or never got as far, or the target is
/// local.
std::optional<SshError> ssh_failure(const NodeRun& run, const Target& target, const ExplainOptions& how = {});

/// What ssh's stderr says went wrong, for an attempt known to have failed in ssh itself.
SshError read_ssh_stderr(std::string_view err, const Target& target, bool password_login = false,
                         std::string_view program = "ssh");

/// pdsh's summary of a node whose command did not succeed: "worker003: exited with 2",
/// "worker004: timed out after 10 s", "worker002: ssh: connection refused"; nullopt when
/// it succeeded.
/// `err` is what it wrote on stderr, `timeout` the one it had, `ran` command or copy.
std::optional<std::string> failure_line(const Target& target, const Outcome& outcome, std::string_view err,
                                        std::chrono::milliseconds timeout, Ran ran = Ran::command);

/// "10 s", "1.5 s": a duration as every message writes it.
std::string seconds_text(std::chrono::milliseconds duration);

/// The last non-empty line of `text`, without a trailing carriage return or spaces.
std::string last_line(std::string_view text);

/// The fix for a member whose `sudo -n` asked for a password (one added by an older
/// beowulf): the line that gives `user` password-less sudo, as `add` does.
std::string password_less_sudo_hint(std::string_view user);

}  // namespace beowulf::remote
