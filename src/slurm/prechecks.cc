#include "slurm/prechecks.h"

#include <fmt/core.h>

#include <chrono>
#include <map>

#include "cluster/time_check.h"
#include "cluster/users_plan.h"

namespace beowulf::slurm {
namespace {

std::string joined(const std::vector<std::string>& words) {
  std::string text;
  for (const auto& w : words) text += (text.empty() ? "" : " ") + w;
  return text;
}

}  // namespace

std::vector<Error> clock_errors(const std::vector<Probed>& nodes, ClockWindow window) {
  std::vector<Node> members;
  std::map<std::string, cluster::ClockReading> readings;
  double middle = (window.before + window.after) / 2, slack = (window.after - window.before) / 2;
  for (const auto& [node, probe] : nodes) {
    members.push_back(node);
    readings[node.name] = {.ahead = probe.clock - middle, .error = slack};
  }
  Status off = cluster::check_clocks(members, readings, std::chrono::seconds(static_cast<int>(kMungeTtl)));
  if (off.ok()) return {};
  Error e = off.error();
  e.what += ": munge would refuse its credentials";
  return {e};
}

std::vector<Error> account_errors(const std::vector<Probed>& nodes, const std::vector<std::string>& users,
                                  const std::string& master) {
  std::map<std::string, cluster::NodeAccounts> accounts;
  std::map<std::string, std::string> labels;
  for (const auto& [node, probe] : nodes) {
    accounts[node.name] = probe.accounts;
    labels[node.name] = node.label();
  }
  std::vector<Error> errors;
  for (const auto& p : cluster::check_accounts(users, master, accounts))
    errors.push_back(Error{fmt::format("user {}: {}: Slurm runs a job under its submitter's UID on every node", p.user, p.what),
                           labels[p.node], p.fix});
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
