#include "cluster/time_up.h"

#include <fmt/core.h>

#include "cluster/node_command.h"
#include "cluster/node_step.h"
#include "cluster/remote_script.h"
#include "remote/fan_out.h"

namespace beowulf::cluster {
namespace {

remote::FanOutOptions fan_options(const TimeOptions& options) {
  return {.fanout = options.fanout, .timeout = options.timeout, .cancel_fd = options.cancel_fd};
}

}  // namespace

std::vector<TimeUpNode> time_up(const Inventory& inventory, const std::vector<Node>& members, const remote::Ssh& ssh,
                                const TimeOptions& options) {
  std::vector<StepNode> nodes = step_nodes(members);
  std::vector<TimeUpResult> results(members.size());
  auto run_role = [&](Role role) {
    std::vector<StepNode*> chosen;
    for (std::size_t i = 0; i < members.size(); ++i)
      if (members[i].role == role) chosen.push_back(&nodes[i]);
    run_step(
        chosen, "chrony", fan_options(options),
        [&](StepNode& n) -> std::optional<sys::ProcessSpec> {
          const Node& node = members[&n - nodes.data()];
          return ssh.run(n.target, sudo_n_script(time_up_script(chrony_plan(inventory, node))));
        },
        [&](StepNode& n, const remote::NodeRun& run) -> Status {
          if (!run.outcome.ok()) return remote::explain(run, n.target);
          results[&n - nodes.data()] = parse_time_up(run.out);
          return {};
        });
  };
  run_role(Role::master);  // serving before the workers' first polls
  run_role(Role::worker);
  std::vector<TimeUpNode> out;
  for (std::size_t i = 0; i < members.size(); ++i)
    out.push_back({members[i].name, members[i].address.str(), results[i], nodes[i].error});
  return out;
}

std::vector<TimeRow> read_time(const std::vector<Node>& members, const remote::Ssh& ssh, const TimeOptions& options) {
  const std::string script = time_status_script();
  std::vector<remote::Job> jobs;
  for (const auto& m : members) jobs.push_back(command_job(ssh, m, script));
  auto runs = remote::FanOut(fan_options(options)).collect(jobs);
  std::vector<TimeRow> rows;
  for (std::size_t i = 0; i < members.size(); ++i) {
    TimeRow row{members[i].name, members[i].address.str(), std::nullopt, ""};
    if (!runs[i].outcome.ok()) {
      auto line = remote::failure_line(remote::target_of(members[i]), runs[i].outcome, runs[i].err, options.timeout);
      std::string prefix = members[i].name + ": ";
      row.problem = line ? (line->starts_with(prefix) ? line->substr(prefix.size()) : *line) : "failed";
    } else if (auto status = parse_time_status(runs[i].out); status.ok()) {
      row.status = *status;
    } else {
      row.problem = status.error().what;
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

}  // namespace beowulf::cluster
