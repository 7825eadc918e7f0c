#include "slurm/prechecks.h"

#include <fmt/core.h>

#include <cmath>

namespace beowulf::slurm {
namespace {

std::string joined(const std::vector<std::string>& words) {
  std::string text;
  for (const auto& w : words) text += (text.empty() ? "" : " ") + w;
  return text;
}

/// How to run `command` on `node` from the master, as its user.
std::string on_node(const Node& node, const std::string& command) {
  if (node.role == Role::master) return command;
  return fmt::format("ssh {}@{} {}", node.user, node.address.str(), command);
}

}  // namespace

std::vector<Error> clock_errors(const std::vector<Probed>& nodes, ClockWindow window) {
  std::vector<Error> errors;
  double middle = (window.before + window.after) / 2, slack = (window.after - window.before) / 2;
  for (const auto& [node, probe] : nodes) {
    double apart = probe.clock - middle;
    if (std::fabs(apart) - slack <= kMungeTtl) continue;
    errors.push_back(Error{
        fmt::format("clock {:.0f} s {} the master's, more than munge's time-to-live ({:.0f} s): munge would refuse "
                    "its credentials",
                    std::fabs(apart), apart > 0 ? "ahead of" : "behind", kMungeTtl),
        node.label(),
        fmt::format("set it from the master's clock: {}; then keep the clocks in step (chrony)",
                    on_node(node, "sudo date -s @$(date +%s)"))});
  }
  return errors;
}

std::vector<Error> uid_errors(const std::vector<Probed>& nodes, const std::string& user, const std::string& master_uid) {
  std::vector<Error> errors;
  for (const auto& [node, probe] : nodes) {
    if (probe.uid == master_uid) continue;
    if (probe.uid == "-") {
      errors.push_back(Error{fmt::format("no user {}: Slurm runs a job as its submitter on every node", user),
                             node.label(), fmt::format("{}", on_node(node, fmt::format("sudo useradd -m -u {} {}", master_uid, user)))});
      continue;
    }
    errors.push_back(Error{
        fmt::format("user {} has UID {} here, {} on the master: Slurm runs a job under its submitter's UID on every node",
                    user, probe.uid, master_uid),
        node.label(),
        fmt::format("give it the master's UID: {} (and chown its files)",
                    on_node(node, fmt::format("sudo usermod -u {} {}", master_uid, user)))});
  }
  return errors;
}

std::vector<Error> virtual_node_errors(const std::vector<Probed>& nodes) {
  std::vector<Error> errors;
  for (const auto& [node, probe] : nodes) {
    if (!probe.virtual_node) continue;
    if (!probe.missing.empty())
      errors.push_back(Error{fmt::format("{} not installed: the virtual cluster's nodes use this machine's", joined(probe.missing)),
                             node.label(), fmt::format("on this machine, as root: apt-get install {}", joined(probe.missing))});
    else if (!probe.no_users.empty())
      errors.push_back(Error{fmt::format("no user {} in the node's /etc: Slurm was installed after 'sim up' copied it",
                                         joined(probe.no_users)),
                             node.label(), "bring the virtual cluster up again: beowulf sim down; beowulf sim up --cgroups"});
    else if (!probe.cgroup)
      errors.push_back(Error{"no cgroup filesystem on /sys/fs/cgroup: slurmd will not start without one", node.label(),
                             "bring the virtual cluster up with one: beowulf sim down; beowulf sim up --cgroups"});
  }
  return errors;
}

}  // namespace beowulf::slurm
