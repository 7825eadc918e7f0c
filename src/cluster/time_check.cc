#include "cluster/time_check.h"

#include <fmt/core.h>

#include <cmath>
#include <cstdlib>

#include "cluster/node_command.h"
#include "remote/fan_out.h"

namespace beowulf::cluster {
namespace {

double now_seconds() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

}  // namespace

Result<std::map<std::string, ClockReading>> read_clocks(const std::vector<Node>& members, const remote::Ssh& ssh,
                                                        const TimeOptions& options) {
  std::vector<remote::Job> jobs;
  for (const auto& m : members) jobs.push_back(command_job(ssh, m, "date +%s.%N"));
  std::vector<double> sent(jobs.size(), 0);
  std::map<std::string, ClockReading> out;
  remote::FanOut fan({.fanout = options.fanout, .timeout = options.timeout, .cancel_fd = options.cancel_fd});
  std::vector<std::string> errors(jobs.size());
  auto outcomes = fan.run(jobs, [&](const remote::Event& e) {
    if (e.kind == remote::EventKind::started) sent[e.job] = now_seconds();
    if (e.kind == remote::EventKind::err_line) errors[e.job] += std::string(e.text) + "\n";
    if (e.kind != remote::EventKind::out_line) return;
    double received = now_seconds(), node = std::strtod(std::string(e.text).c_str(), nullptr);
    out[members[e.job].name] = {.ahead = node - (sent[e.job] + received) / 2, .error = (received - sent[e.job]) / 2};
  });
  for (std::size_t i = 0; i < members.size(); ++i) {
    if (outcomes[i].ok() && out.count(members[i].name)) continue;
    auto line = remote::failure_line(remote::target_of(members[i]), outcomes[i], errors[i], options.timeout);
    return Error{"read the clock: " + (line ? *line : "no answer"), members[i].label()};
  }
  return out;
}

Status check_clocks(const std::vector<Node>& members, const std::map<std::string, ClockReading>& readings,
                    std::chrono::seconds limit) {
  const Node* worst = nullptr;
  double worst_off = 0;
  for (const auto& m : members) {
    auto it = readings.find(m.name);
    if (it == readings.end()) continue;
    double proven = std::fabs(it->second.ahead) - it->second.error;  // off by at least this
    if (proven > static_cast<double>(limit.count()) && proven > worst_off) {
      worst = &m;
      worst_off = proven;
    }
  }
  if (worst == nullptr) return {};
  double ahead = readings.at(worst->name).ahead;
  return Error{fmt::format("its clock is {:.1f} s {} the master's (more than {} s)", std::fabs(ahead),
                           ahead >= 0 ? "ahead of" : "behind", limit.count()),
               worst->label(), "beowulf time up"};
}

Status clocks_within(const std::vector<Node>& members, const remote::Ssh& ssh, std::chrono::seconds limit,
                     const TimeOptions& options) {
  auto readings = read_clocks(members, ssh, options);
  if (!readings.ok()) return readings.error();
  return check_clocks(members, *readings, limit);
}

}  // namespace beowulf::cluster
