#include "slurm/node_job.h"

#include <fmt/core.h>

#include "remote/explain.h"

namespace beowulf::slurm {
namespace {

bool contains(std::string_view text, std::string_view part) { return text.find(part) != std::string_view::npos; }

std::string last_line(std::string_view text) {
  while (!text.empty() && text.back() == '\n') text.remove_suffix(1);
  auto cut = text.rfind('\n');
  return std::string(cut == std::string_view::npos ? text : text.substr(cut + 1));
}

}  // namespace

remote::Job node_job(const remote::Ssh& ssh, const Node& node, const std::string& script, const std::string& input,
                     std::chrono::milliseconds timeout) {
  sys::ProcessSpec spec = node.role == Role::master
                              ? sys::ProcessSpec{.argv = {"sh", "-c", script}}
                              : ssh.run({node.user, node.address.str()}, script);
  spec.input = input;
  spec.timeout = timeout;
  return {node.name, std::move(spec)};
}

Error node_failure(const remote::Ssh& /*ssh*/, const Node& node, const remote::NodeRun& run, std::string_view step) {
  auto failed = [&](std::string why, std::string hint = {}) {
    return Error{fmt::format("{}: {}", step, why), node.label(), std::move(hint)};
  };
  const auto& o = run.outcome;
  if (o.end == remote::EventKind::timed_out) return failed(fmt::format("timed out after {} s", o.elapsed.count() / 1000));
  if (o.end == remote::EventKind::cancelled) return failed("interrupted");
  if (o.end == remote::EventKind::could_not_start) return failed(o.reason);
  if (node.role != Role::master)
    if (auto e = remote::ssh_failure(run, remote::target_of(node)))
      return failed(e->error.what, e->error.hint);
  if (contains(run.err, "a password is required"))
    return failed("sudo asked for a password", remote::password_less_sudo_hint(node.user));
  if (contains(run.err, "is not in the sudoers file") || contains(run.err, "may not run sudo"))
    return failed(fmt::format("sudo refused: {} may not use sudo", node.user),
                  fmt::format("on the node, as root: usermod -aG sudo {}", node.user));
  std::string why = last_line(run.err);
  if (why.empty()) why = o.signal ? fmt::format("killed by signal {}", o.signal) : fmt::format("exited with {}", o.exit_code);
  return failed(why);
}

std::vector<remote::NodeRun> run_on(const remote::Ssh& ssh, const std::vector<Node>& nodes,
                                    const std::vector<remote::Job>& jobs, std::string_view step,
                                    const remote::FanOutOptions& options, std::vector<Error>& errors) {
  auto runs = remote::FanOut(options).collect(jobs);
  for (std::size_t i = 0; i < runs.size(); ++i)
    if (!runs[i].outcome.ok()) errors.push_back(node_failure(ssh, nodes[i], runs[i], step));
  return runs;
}

}  // namespace beowulf::slurm
