#include "slurm/slurm_up.h"

#include <fmt/core.h>

#include <algorithm>
#include <chrono>
#include <sstream>

#include "cluster/users_workflow.h"
#include "slurm/node_job.h"
#include "slurm/node_scripts.h"
#include "slurm/prechecks.h"
#include "slurm/proof.h"
#include "slurm/slurm_conf.h"
#include "slurm/slurm_status.h"

namespace beowulf::slurm {
namespace {

double wall_seconds() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

std::string folded(const std::vector<Node>& nodes) {
  std::vector<std::string> names;
  for (const auto& n : nodes) names.push_back(n.name);
  return folded_names(names);
}

/// The master first, then every compute node that is not the master.
std::vector<Node> every_node(const UpOptions& o) {
  std::vector<Node> all = {o.master};
  for (const auto& n : o.nodes)
    if (n.name != o.master.name) all.push_back(n);
  return all;
}

bool is_compute(const UpOptions& o, const Node& node) {
  return std::any_of(o.nodes.begin(), o.nodes.end(), [&](const Node& n) { return n.name == node.name; });
}

remote::FanOutOptions fan(const UpOptions& o) { return {.fanout = o.fanout, .cancel_fd = o.cancel_fd}; }

/// The users whose accounts must agree on every node: the master's user and the ones
/// `beowulf users add` made (they submit jobs too).
std::vector<std::string> submitters(const UpOptions& o) {
  std::vector<std::string> users = {o.master.user};
  for (const auto& name : cluster::recorded_users())
    if (name != o.master.user) users.push_back(name);
  return users;
}

/// Probes `nodes`; fills `probed` (one per node that answered) and the clock window.
void probe(const UpOptions& o, const std::vector<Node>& nodes, std::vector<Probed>& probed, ClockWindow& window,
           std::vector<Error>& errors) {
  std::vector<remote::Job> jobs;
  auto users = submitters(o);
  for (const auto& n : nodes) jobs.push_back(node_job(o.ssh, n, probe_script(users, n.name == o.master.name)));
  window.before = wall_seconds();
  auto runs = run_on(jobs, "probe", fan(o), errors);
  window.after = wall_seconds();
  for (std::size_t i = 0; i < runs.size(); ++i) {
    if (!runs[i].outcome.ok()) continue;
    auto p = parse_probe(runs[i].out, nodes[i].label());
    if (p) probed.push_back({nodes[i], *p});
    else errors.push_back(p.error());
  }
}

/// Installs what the probe found missing on boards; true when anything was installed.
bool install_missing(const UpOptions& o, const std::vector<Probed>& probed, std::vector<Error>& errors) {
  std::vector<Node> nodes;
  std::vector<remote::Job> jobs;
  for (const auto& [node, p] : probed) {
    if (p.missing.empty() || p.virtual_node) continue;
    nodes.push_back(node);
    jobs.push_back(node_job(o.ssh, node, install_script(p.missing), {}, std::chrono::minutes(20)));
  }
  if (jobs.empty()) return false;
  if (o.progress) o.progress(fmt::format("installing Slurm and munge on {} (apt-get)", folded(nodes)));
  run_on(jobs, "install Slurm", fan(o), errors);
  return true;
}

Result<ConfPlan> conf_plan(const UpOptions& o, const std::vector<Probed>& probed) {
  ConfPlan plan{o.cluster, {o.master.name, o.master.address.str()}, {}, Layout::boards};
  for (const auto& [node, p] : probed) {
    if (node.name == o.master.name && p.virtual_node) plan.layout = Layout::virtual_cluster;
    if (!is_compute(o, node)) continue;
    auto hw = parse_slurmd_c(p.hardware, node.label());
    if (!hw) return hw.error();
    if (hw->name != node.name)
      return Error{fmt::format("slurmd finds the name '{}', the cluster knows it as '{}'", hw->name, node.name),
                   node.label(), "set its hostname: beowulf add " + node.address.str() + " renames it"};
    plan.nodes.push_back({node.name, node.address.str(), p.cores, declared_memory(hw->memory)});
  }
  // inventory order, as the user listed the nodes
  std::vector<ConfNode> ordered;
  for (const auto& n : o.nodes)
    for (const auto& c : plan.nodes)
      if (c.name == n.name) ordered.push_back(c);
  plan.nodes = ordered;
  return plan;
}

/// Lines of an apply run: "key BASE64" goes to `key`, the others are what was done.
std::string done_lines(const std::string& out, std::string* key) {
  std::istringstream in(out);
  std::string done;
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("key ", 0) == 0) {
      if (key) *key = line.substr(4);
      continue;
    }
    if (!line.empty()) done += (done.empty() ? "" : ", ") + line;
  }
  return done;
}

void apply(const UpOptions& o, const ConfPlan& plan, UpReport& report) {
  NodeSetup setup{slurm_conf(plan), cgroup_conf(plan.layout), plan.layout, true, is_compute(o, o.master)};
  if (o.progress) o.progress(fmt::format("configuring the controller {}", o.master.name));
  auto runs = run_on({node_job(o.ssh, o.master, apply_script(setup))},
                     "set up Slurm", fan(o), report.errors);
  if (!report.errors.empty()) return;
  std::string key;
  if (auto done = done_lines(runs[0].out, &key); !done.empty()) report.changes.push_back(o.master.name + ": " + done);
  if (key.empty()) {
    report.errors.push_back(Error{"set up Slurm: the master printed no munge key", o.master.label()});
    return;
  }

  std::vector<Node> others;
  std::vector<remote::Job> jobs;
  setup.controller = false;
  setup.compute = true;
  for (const auto& n : o.nodes) {
    if (n.name == o.master.name) continue;
    others.push_back(n);
    jobs.push_back(node_job(o.ssh, n, apply_script(setup), key + "\n"));
  }
  if (jobs.empty()) return;
  if (o.progress) o.progress(fmt::format("configuring {}", folded(others)));
  runs = run_on(jobs, "set up Slurm", fan(o), report.errors);
  for (std::size_t i = 0; i < runs.size(); ++i)
    if (auto done = done_lines(runs[i].out, nullptr); runs[i].outcome.ok() && !done.empty())
      report.changes.push_back(others[i].name + ": " + done);
}

void prove(const UpOptions& o, UpReport& report) {
  std::vector<std::string> names;
  for (const auto& n : o.nodes) names.push_back(n.name);
  if (o.progress) o.progress(fmt::format("waiting for {} to be idle", folded(o.nodes)));
  if (auto idle = wait_until_idle(names, std::chrono::seconds(60)); !idle) {
    report.errors.push_back(idle.error());
    return;
  }
  if (o.progress) o.progress(fmt::format("proving it: srun -N{} hostname", names.size()));
  auto srun = srun_hostnames(names.size());
  if (!srun) {
    report.errors.push_back(Error{"prove Slurm: " + srun.error().what, o.master.label()});
    return;
  }
  report.srun_names = *srun;
  std::sort(names.begin(), names.end());
  if (*srun != names) {
    report.errors.push_back(Error{fmt::format("prove Slurm: srun -N{} hostname printed {} lines, not one per node",
                                              names.size(), srun->size()),
                                  o.master.label()});
    return;
  }
  if (o.cpi.empty()) return;
  if (o.progress) o.progress(fmt::format("proving it: sbatch beowulf-cpi on {} nodes", names.size()));
  auto pi = batch_cpi(names.size(), o.cpi, o.output_dir);
  if (pi) report.pi_line = *pi;
  else report.errors.push_back(Error{"prove Slurm: " + pi.error().what, o.master.label()});
}

}  // namespace

UpReport slurm_up(const UpOptions& o) {
  UpReport report;
  auto nodes = every_node(o);
  if (o.progress) o.progress(fmt::format("probing {}", folded(nodes)));
  std::vector<Probed> probed;
  ClockWindow window;
  probe(o, nodes, probed, window, report.errors);
  if (!report.errors.empty()) return report;
  if (install_missing(o, probed, report.errors)) {
    if (!report.errors.empty()) return report;
    probed.clear();
    probe(o, nodes, probed, window, report.errors);
    if (!report.errors.empty()) return report;
  }
  for (auto& found : {virtual_node_errors(probed), clock_errors(probed, window),
                      account_errors(probed, submitters(o), o.master.name)})
    report.errors.insert(report.errors.end(), found.begin(), found.end());
  if (!report.errors.empty()) return report;

  auto plan = conf_plan(o, probed);
  if (!plan) {
    report.errors.push_back(plan.error());
    return report;
  }
  apply(o, *plan, report);
  if (!report.errors.empty()) return report;
  prove(o, report);
  return report;
}

}  // namespace beowulf::slurm
