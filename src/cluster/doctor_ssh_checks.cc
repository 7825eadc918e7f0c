// The reach and ssh-* checks of doctor_checks.h, and why a login failed.
#include <fmt/core.h>

#include <algorithm>

#include "cluster/doctor_checks.h"
#include "cluster/host_key.h"
#include "cluster/host_key_pin.h"
#include "cluster/members.h"
#include "cluster/remote_script.h"
#include "remote/explain.h"
#include "remote/ssh.h"

namespace beowulf::cluster {

namespace {

Finding ok(std::string_view id, std::string subject, std::string evidence) {
  return Finding{.check = std::string(id), .subject = std::move(subject), .verdict = Verdict::ok,
                 .evidence = std::move(evidence)};
}

Finding fail(std::string_view id, std::string subject, std::string evidence, Fix fix) {
  return Finding{.check = std::string(id), .subject = std::move(subject), .verdict = Verdict::fail,
                 .evidence = std::move(evidence), .fix = std::move(fix)};
}

const NodeProbe* probe_of(const DoctorFacts& facts, const Node& node) {
  auto it = facts.probes.find(node.name);
  return it == facts.probes.end() ? nullptr : &it->second;
}

std::optional<remote::SshFailure> failure_of(const Node& target, const SshAttempt& attempt) {
  if (attempt.exit_code == 0) return std::nullopt;
  // TCP got through but sshd never said hello: tcp wrappers (hosts.deny) or a stuck sshd.
  if (attempt.err.find("during banner exchange") != std::string::npos) return remote::SshFailure::closed;
  return remote::read_ssh_stderr(attempt.err, remote::target_of(target)).failure;
}

std::string first_line(std::string_view text) {
  auto lines = text;
  while (!lines.empty()) {
    auto end = lines.find('\n');
    auto line = lines.substr(0, end);
    if (!line.empty() && !line.starts_with("Warning: Permanently added")) return std::string(line);
    if (end == std::string_view::npos) break;
    lines = lines.substr(end + 1);
  }
  return "ssh failed without a message";
}

/// Why sshd would refuse key login for `probe`'s user because of modes or ownership
/// (StrictModes): "~/.ssh/authorized_keys is mode 666 (writable by others)"; empty: fine.
std::string bad_modes(const NodeProbe& probe) {
  for (const auto& m : probe.modes) {
    if (!m.exists) continue;
    std::string who = (m.mode & 002) ? "others" : (m.mode & 020) ? "its group" : "";
    std::string path = m.path;
    if (!who.empty()) return fmt::format("{} is mode {:o} (writable by {})", path, m.mode, who);
    if (probe.uid >= 0 && m.uid != probe.uid && m.uid != 0)
      return fmt::format("{} is owned by uid {}, not by {}", path, m.uid, probe.user);
  }
  return {};
}

constexpr const char* kFixModes = "chmod go-w ~ && chmod 700 ~/.ssh && chmod 600 ~/.ssh/authorized_keys";

Finding key_refused(const DoctorFacts& facts, std::string_view id, const Node& source, const Node& target,
                    std::string subject) {
  const NodeProbe* there = probe_of(facts, target);
  const NodeProbe* here = probe_of(facts, source);
  if (!there) {
    return fail(id, subject,
                fmt::format("key login to {} refused: {}'s key is not in its ~/.ssh/authorized_keys, or sshd "
                            "refuses the modes of its home",
                            target.label(), source.name),
                Fix::add(target.address.str()));
  }
  if (auto modes = bad_modes(*there); !modes.empty()) {
    Finding f = fail(id, subject, fmt::format("sshd on {} refuses key login: {}", target.name, modes),
                     on_node(target, kFixModes));
    f.safe_fix = {.node = target.name, .script = kFixModes};
    return f;
  }
  if (here && !here->user_keys.empty()) {
    bool listed = std::any_of(here->user_keys.begin(), here->user_keys.end(), [&](const std::string& k) {
      return std::find(there->authorized_keys.begin(), there->authorized_keys.end(), k) != there->authorized_keys.end();
    });
    if (!listed) {
      std::string key = here->user_keys.front();
      Finding f = fail(id, subject,
                       fmt::format("{}'s key ({}...) is not in {}'s ~/.ssh/authorized_keys", source.name,
                                   key.substr(0, 24), target.name),
                       Fix::add(target.address.str()));
      f.safe_fix = {.node = target.name, .script = authorize_key_script(key)};
      return f;
    }
  }
  if (here && here->user_keys.empty()) {
    return fail(id, subject, fmt::format("{} has no ssh key (~/.ssh/id_*.pub)", source.name),
                Fix::add(source.address.str()));
  }
  return fail(id, subject, fmt::format("key login to {} refused: {}", target.name, "see sshd's log there"),
              as_root_on(target, "journalctl -u ssh -n 20"));
}

/// The fix for a changed host key: add again, pinned. When the node offers another key
/// than the inventory records, first read the real one on the board's console: only the
/// key printed there is accepted (a key is never forgotten blindly with `ssh-keygen -R`).
Fix changed_key_fix(const Node& target, const std::string& recorded, const std::string& offered) {
  Fix add = Fix::add(target.address.str());
  if (!offered.empty() && offered == recorded) return add;
  return fmt::format("on {}'s console: {}; if it prints {}: {} --new-host-key {}", target.name, kConsoleFingerprint,
                     offered.empty() ? "another key" : offered, add.line(), offered.empty() ? "SHA256:..." : offered);
}

Finding host_key_problem(const DoctorFacts& facts, std::string_view id, const Node& source, const Node& target,
                         const SshAttempt& attempt, std::string subject, bool changed) {
  std::string actual;
  if (const NodeProbe* there = probe_of(facts, target); there && !there->host_keys.empty()) {
    for (const auto& k : there->host_keys)
      if (k.starts_with("ssh-ed25519 ")) actual = k;
    if (actual.empty()) actual = there->host_keys.front();
  }
  std::string where = source.role == Role::master ? "~/.ssh/known_hosts" : source.name + "'s ~/.ssh/known_hosts";
  if (changed) {
    std::string offered = offered_fingerprint(attempt.err);
    auto known = facts.fingerprints.find(actual);
    if (offered.empty() && known != facts.fingerprints.end()) offered = known->second;
    std::string recorded = target.host_key.empty() ? "unknown" : target.host_key;
    return fail(id, subject,
                fmt::format("the host key of {} changed: {} records {}, the node offers {}", target.name, where,
                            recorded, offered.empty() ? "another" : offered),
                changed_key_fix(target, recorded, offered));
  }
  Finding f = fail(id, subject, fmt::format("the host key of {} is not in {}", target.name, where),
                   Fix::add(target.address.str()));
  if (!actual.empty()) {
    std::string line = fmt::format("{},{} {}", target.name, target.address.str(), actual);
    f.safe_fix = {.node = source.name,
                  .script = fmt::format("mkdir -p ~/.ssh && printf '%s\\n' {} >> ~/.ssh/known_hosts",
                                        remote::shell_quote(line))};
  }
  return f;
}

Finding closed(const DoctorFacts& facts, std::string_view id, const Node& target,
               const SshAttempt& attempt, std::string subject) {
  if (const NodeProbe* there = probe_of(facts, target)) {
    for (const auto& line : there->tcp_wrappers)
      if (line.starts_with("/etc/hosts.deny:"))
        return fail(id, subject,
                    fmt::format("{} closed the connection: its {} refuses sshd", target.name, line),
                    as_root_on(target, "sh -c 'echo sshd: ALL >> /etc/hosts.allow'"));
  }
  return fail(id, subject, fmt::format("{} closed the connection before login: {}", target.name, first_line(attempt.err)),
              as_root_on(target, "sh -c 'echo sshd: ALL >> /etc/hosts.allow'"));
}

}  // namespace

std::string on_node(const Node& node, std::string_view command) {
  if (node.role == Role::master) return std::string(command);
  return fmt::format("beowulf exec -w {} -- {}", node.name, remote::shell_quote(command));
}

std::string as_root_on(const Node& node, std::string_view command) {
  std::string sudo = "sudo " + std::string(command);
  if (node.role == Role::master) return sudo;
  return fmt::format("ssh -t {}@{} {}", node.user, node.address.str(), remote::shell_quote(sudo));
}

Finding diagnose_login(const DoctorFacts& facts, std::string_view id, const Node& source, const Node& target,
                       const SshAttempt& attempt) {
  std::string subject = id == "ssh-node-to-node" ? source.name + " -> " + target.name
                        : id == "ssh-node-to-master" ? source.name
                                                     : target.name;
  auto failure = failure_of(target, attempt);
  if (!failure) return ok(id, subject, "key login works");
  using remote::SshFailure;
  switch (*failure) {
    case SshFailure::key_refused:
    case SshFailure::wrong_password: return key_refused(facts, id, source, target, subject);
    case SshFailure::host_key_changed: return host_key_problem(facts, id, source, target, attempt, subject, true);
    case SshFailure::host_key_unknown: return host_key_problem(facts, id, source, target, attempt, subject, false);
    case SshFailure::closed: return closed(facts, id, target, attempt, subject);
    case SshFailure::refused:
      return fail(id, subject, fmt::format("{} refuses connections on port 22: sshd is not running", target.label()),
                  as_root_on(target, "systemctl restart ssh") + "   # on its console");
    case SshFailure::unreachable:
      return fail(id, subject, fmt::format("{} cannot reach {}: {}", source.name, target.label(), first_line(attempt.err)),
                  fmt::format("ping -c 1 {}   # then check its cable, address and the switch", target.address.str()));
    case SshFailure::other: break;
  }
  return fail(id, subject, fmt::format("ssh from {} to {} failed: {}", source.name, target.name, first_line(attempt.err)),
              Fix::add(target.address.str()));
}

std::vector<Finding> check_reach(const DoctorFacts& facts) {
  std::vector<Finding> out;
  const Node* master = facts.inventory.master();
  const NodeProbe* here = master ? probe_of(facts, *master) : nullptr;
  for (const auto& node : facts.nodes) {
    if (node.role == Role::master) continue;
    auto attempt = here ? here->ssh.find(node.name) : decltype(here->ssh.end()){};
    if (!here || attempt == here->ssh.end()) {
      out.push_back(fail("reach", node.name, "the master did not try it", ""));
      continue;
    }
    auto failure = failure_of(node, attempt->second);
    if (failure == remote::SshFailure::refused)
      out.push_back(fail("reach", node.name,
                         fmt::format("{} refuses connections on port 22: sshd is not running", node.label()),
                         as_root_on(node, "systemctl restart ssh") + "   # on its console"));
    else if (failure == remote::SshFailure::unreachable)
      out.push_back(fail("reach", node.name, fmt::format("{}: {}", node.label(), first_line(attempt->second.err)),
                         fmt::format("ping -c 1 {}   # then check its cable, address and the switch",
                                     node.address.str())));
    else out.push_back(ok("reach", node.name, "sshd answers on port 22"));
  }
  return out;
}

std::vector<Finding> check_ssh(const DoctorFacts& facts, std::string_view id, const std::vector<Finding>& so_far) {
  std::vector<Finding> out;
  const Node* master = facts.inventory.master();
  if (!master) return out;
  for (const auto& source : facts.nodes) {
    bool from_master = source.role == Role::master;
    if (from_master != (id == "ssh-master-to-node")) continue;
    if (id == "ssh-master-to-node") {
      for (const auto& target : facts.nodes) {
        if (target.role == Role::master) continue;
        if (auto why = skip_reason(so_far, id, target.name)) {
          out.push_back(skipped(id, target.name, *why));
          continue;
        }
        const NodeProbe* here = probe_of(facts, source);
        auto attempt = here->ssh.find(target.name);
        out.push_back(diagnose_login(facts, id, source, target, attempt->second));
      }
      continue;
    }
    if (auto why = skip_reason(so_far, id, source.name)) {
      out.push_back(skipped(id, source.name, *why));
      continue;
    }
    const NodeProbe* here = probe_of(facts, source);
    if (!here) {
      auto reason = facts.probe_failures.find(source.name);
      out.push_back(skipped(id, source.name,
                            reason == facts.probe_failures.end() ? "its probe did not answer" : reason->second));
      continue;
    }
    for (const auto& [label, attempt] : here->ssh) {
      const Node* target = facts.inventory.find(label);
      if (!target) continue;
      if ((id == "ssh-node-to-master") != (target->role == Role::master)) continue;
      out.push_back(diagnose_login(facts, id, source, *target, attempt));
    }
  }
  return out;
}

}  // namespace beowulf::cluster
