#include "cluster/node_step.h"

#include <fmt/core.h>

#include "sys/password_input.h"

namespace beowulf::cluster {
namespace {

bool contains(std::string_view text, std::string_view part) { return text.find(part) != std::string_view::npos; }

std::string last_line(std::string_view text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.remove_suffix(1);
  auto nl = text.rfind('\n');
  return std::string(nl == std::string_view::npos ? text : text.substr(nl + 1));
}

/// sudo's refusals, in user terms; nullopt when stderr shows none.
std::optional<Error> sudo_failure(const StepNode& node, std::string_view err) {
  // `sudo -n` where the user needs a password: members are never sent one.
  if (contains(err, "a password is required"))
    return Error{"sudo asked for a password", node.label(), password_less_sudo_hint(node.user)};
  if (contains(err, "incorrect password") || contains(err, "Sorry, try again") || contains(err, "no password was provided"))
    return Error{"sudo: wrong password", node.label(),
                 fmt::format("the password must be {}'s login and sudo password on the node", node.user)};
  if (contains(err, "is not in the sudoers file") || contains(err, "is not allowed to") || contains(err, "may not run sudo"))
    return Error{fmt::format("sudo refused: {} may not use sudo", node.user), node.label(),
                 fmt::format("on the node, as root: usermod -aG sudo {}", node.user)};
  if (contains(err, "a terminal is required") || contains(err, "no tty present"))
    return Error{"sudo refused: it demands a terminal (requiretty)", node.label(),
                 "remove 'Defaults requiretty' from the node's /etc/sudoers"};
  return std::nullopt;
}

}  // namespace

std::string password_less_sudo_hint(std::string_view user) {
  return fmt::format("beowulf sends the boards' password only to the nodes it adds; give {0} password-less "
                     "sudo there, as root: echo '{0} ALL=(ALL) NOPASSWD: ALL' > /etc/sudoers.d/zz_beowulf-nopasswd",
                     user);
}

std::string StepNode::label() const { return fmt::format("{} ({})", node.name, node.address); }

void StepNode::fail(std::string_view step, std::string what, std::string hint) {
  error = Error{fmt::format("{}: {}", step, what), label(), std::move(hint)};
}

void run_step(std::vector<StepNode*> nodes, std::string_view step, const remote::FanOutOptions& options,
              const JobFor& job, const Check& check) {
  std::vector<StepNode*> running;
  std::vector<remote::Job> jobs;
  for (StepNode* n : nodes) {
    if (!n->ok()) continue;
    auto spec = job(*n);
    if (!spec) continue;
    running.push_back(n);
    jobs.push_back({n->node.name, std::move(*spec)});
  }
  if (jobs.empty()) return;
  auto runs = remote::FanOut(options).collect(jobs);
  for (auto& j : jobs) sys::wipe(j.spec.input);  // a sudo password, for some steps
  for (std::size_t i = 0; i < runs.size(); ++i) {
    StepNode& n = *running[i];
    const auto& outcome = runs[i].outcome;
    switch (outcome.end) {
      case remote::EventKind::timed_out:
        n.fail(step, fmt::format("no answer within {} s", options.timeout.count() / 1000),
               "the node may be down or overloaded; run the command again");
        continue;
      case remote::EventKind::could_not_start:
        n.fail(step, outcome.reason);
        continue;
      case remote::EventKind::cancelled:
        n.fail(step, "interrupted");
        continue;
      default:
        break;
    }
    if (Status s = check(n, runs[i]); !s.ok()) {
      n.error = s.error();
      n.error->what = fmt::format("{}: {}", step, n.error->what);
      n.error->node = n.label();
    }
  }
}

sys::ProcessSpec script_job(const remote::Ssh& ssh, const StepNode& node, const std::string& script) {
  if (node.local) return sys::ProcessSpec{.argv = {"sh", "-c", script}};
  return ssh.run({node.user, node.node.address}, script);
}

Error script_failure(const remote::Ssh& ssh, const StepNode& node, const remote::NodeRun& run) {
  if (!node.local)
    if (auto failure = ssh.explain_failure({node.user, node.node.address}, node.label(), run.outcome.exit_code, run.err))
      return failure->error;
  if (auto sudo = sudo_failure(node, run.err)) return *sudo;
  std::string line = last_line(run.err);
  if (line.empty()) line = fmt::format("failed with exit status {}", run.outcome.exit_code);
  return Error{line, node.label()};
}

}  // namespace beowulf::cluster
