#include "remote/explain.h"

#include <fmt/core.h>

#include <array>

namespace beowulf::remote {
namespace {

bool contains(std::string_view text, std::string_view part) { return text.find(part) != std::string_view::npos; }

SshError failure(SshFailure kind, const Target& target, std::string what, std::string hint) {
  return SshError{kind, Error{std::move(what), target.label(), std::move(hint)}};
}

/// sudo's refusals, in user terms; nullopt when stderr shows none.
std::optional<Error> sudo_failure(const Target& target, std::string_view err) {
  // `sudo -n` where the user needs a password: members are never sent one.
  if (contains(err, "a password is required"))
    return Error{"sudo asked for a password", target.label(), password_less_sudo_hint(target.user)};
  if (contains(err, "incorrect password") || contains(err, "Sorry, try again") || contains(err, "no password was provided"))
    return Error{"sudo: wrong password", target.label(),
                 fmt::format("the password must be {}'s login and sudo password on the node", target.user)};
  if (contains(err, "is not in the sudoers file") || contains(err, "is not allowed to") || contains(err, "may not run sudo"))
    return Error{fmt::format("sudo refused: {} may not use sudo", target.user), target.label(),
                 fmt::format("on the node, as root: usermod -aG sudo {}", target.user)};
  if (contains(err, "a terminal is required") || contains(err, "no tty present"))
    return Error{"sudo refused: it demands a terminal (requiretty)", target.label(),
                 "remove 'Defaults requiretty' from the node's /etc/sudoers"};
  return std::nullopt;
}

/// How the run ended when it never got to exit by itself (or a signal ended it); nullopt
/// when it exited with a status.
std::optional<Error> unfinished(const NodeRun& run, const Target& target, const ExplainOptions& how) {
  const Outcome& o = run.outcome;
  std::string label = target.label();
  switch (o.end) {
    case EventKind::timed_out:
      if (how.ran == Ran::script)
        return Error{fmt::format("no answer within {}", seconds_text(how.timeout)), label,
                     "the node may be down or overloaded; run the command again"};
      return Error{fmt::format("timed out after {}", seconds_text(how.timeout)), label, ""};
    case EventKind::cancelled: return Error{"interrupted", label, ""};
    case EventKind::could_not_start: return Error{fmt::format("could not start: {}", o.reason), label, ""};
    default: break;
  }
  if (o.signal != 0) return Error{fmt::format("killed by signal {}", o.signal), label, ""};
  return std::nullopt;
}

}  // namespace

SshError read_ssh_stderr(std::string_view err, const Target& target, bool password_login, std::string_view program) {
  if (contains(err, "REMOTE HOST IDENTIFICATION HAS CHANGED") || contains(err, "has changed and you have requested"))
    return failure(SshFailure::host_key_changed, target, "ssh: the node's host key has changed",
                   fmt::format("check the key on the board's console with `ssh-keygen -lf "
                               "/etc/ssh/ssh_host_ed25519_key.pub`; if the board was re-imaged, accept the key it "
                               "prints with `beowulf add {} --new-host-key SHA256:...`; otherwise someone may be "
                               "intercepting the connection",
                               target.address));
  if (contains(err, "host key is known for") || contains(err, "Host key verification failed"))
    return failure(SshFailure::host_key_unknown, target, "ssh: the node's host key is not known",
                   fmt::format("add the node first: beowulf add {}", target.address));
  if (contains(err, "Permission denied") || contains(err, "Too many authentication failures")) {
    if (password_login)
      return failure(SshFailure::wrong_password, target, "ssh: wrong password",
                     "check the password; the node's sshd must also allow password login for the first contact");
    return failure(SshFailure::key_refused, target, "ssh: key login refused",
                   "the cluster's key is not in the node's ~/.ssh/authorized_keys: run `beowulf add` for it again");
  }
  if (contains(err, "Connection refused"))
    return failure(SshFailure::refused, target, "ssh: connection refused",
                   fmt::format("the node is up but no sshd answers on port {}: start it (sudo systemctl start ssh)",
                               target.port));
  static constexpr std::array<std::string_view, 6> kUnreachable = {
      "No route to host", "Connection timed out", "Network is unreachable",
      "Could not resolve hostname", "Operation timed out", "Host is down"};
  for (std::string_view reason : kUnreachable)
    if (contains(err, reason))
      return failure(SshFailure::unreachable, target, fmt::format("ssh: cannot reach the node: {}", reason),
                     "check that the node is powered on and connected, and that its address is right");
  if (contains(err, "Connection closed by") || contains(err, "Connection reset by") ||
      contains(err, "kex_exchange_identification"))
    return failure(SshFailure::closed, target, "ssh: the node closed the connection before login",
                   "the node's /etc/hosts.allow or /etc/hosts.deny may refuse this machine");
  std::string line = last_line(err);
  if (line.empty()) line = "failed without saying why";
  if (!line.starts_with(fmt::format("{}: ", program))) line = fmt::format("{}: {}", program, line);
  return failure(SshFailure::other, target, line, "");
}

std::optional<SshError> ssh_failure(const NodeRun& run, const Target& target, const ExplainOptions& how) {
  const Outcome& o = run.outcome;
  if (target.local || o.end != EventKind::exited || o.signal != 0 || o.exit_code == 0) return std::nullopt;
  if (how.ran == Ran::copy) return read_ssh_stderr(run.err, target, how.password_login, "scp");
  if (o.exit_code != 255) return std::nullopt;
  return read_ssh_stderr(run.err, target, how.password_login, "ssh");
}

Error explain(const NodeRun& run, const Target& target, const ExplainOptions& how) {
  if (auto e = unfinished(run, target, how)) return *e;
  if (auto ssh = ssh_failure(run, target, how)) return ssh->error;
  if (how.ran == Ran::script) {
    if (auto sudo = sudo_failure(target, run.err)) return *sudo;
    if (std::string line = last_line(run.err); !line.empty()) return Error{line, target.label(), ""};
  }
  return Error{fmt::format("exited with {}", run.outcome.exit_code), target.label(), ""};
}

std::optional<std::string> failure_line(const Target& target, const Outcome& outcome, std::string_view err,
                                        std::chrono::milliseconds timeout, Ran ran) {
  if (outcome.ok()) return std::nullopt;
  NodeRun run{target.name, outcome, "", std::string(err)};
  return fmt::format("{}: {}", target.name, explain(run, target, {.ran = ran, .timeout = timeout}).what);
}

std::string seconds_text(std::chrono::milliseconds duration) {
  auto ms = duration.count();
  if (ms % 1000 == 0) return fmt::format("{} s", ms / 1000);
  return fmt::format("{:g} s", static_cast<double>(ms) / 1000.0);
}

std::string last_line(std::string_view text) {
  std::string line;
  std::size_t begin = 0;
  while (begin < text.size()) {
    std::size_t end = text.find('\n', begin);
    if (end == std::string_view::npos) end = text.size();
    std::string_view candidate = text.substr(begin, end - begin);
    while (!candidate.empty() && (candidate.back() == '\r' || candidate.back() == ' ')) candidate.remove_suffix(1);
    if (!candidate.empty()) line = candidate;
    begin = end + 1;
  }
  return line;
}

std::string password_less_sudo_hint(std::string_view user) {
  return fmt::format("beowulf sends the boards' password only to the nodes it adds; give {0} password-less "
                     "sudo there, as root: echo '{0} ALL=(ALL) NOPASSWD: ALL' > /etc/sudoers.d/zz_beowulf-nopasswd",
                     user);
}

}  // namespace beowulf::remote
