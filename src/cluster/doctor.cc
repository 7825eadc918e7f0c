#include "cluster/doctor.h"

#include <fmt/core.h>

#include <algorithm>
#include <chrono>
#include <set>

#include "cluster/arch_check.h"
#include "cluster/doctor_probe.h"
#include "cluster/host_key.h"
#include "cluster/members.h"
#include "cluster/node_command.h"
#include "cluster/users_workflow.h"
#include "remote/fan_out.h"
#include "sys/atomic_file.h"

namespace beowulf::cluster {

namespace {

using std::chrono::milliseconds;

// ports: every pair up to 32 nodes, past that each node tries the next 16 round the ring.
constexpr std::size_t kAllPairsUpTo = 32, kPeerSample = 16;
// Logins into the master at once: sshd's MaxStartups (10:30:100) starts dropping new
// connections past 10 unauthenticated ones, which would fail nodes at random.
constexpr std::size_t kLoginsIntoMasterAtOnce = 8;

double now_seconds() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

std::string destination(const Node& node) { return node.user + "@" + node.address.str(); }

// What node `index` reports and whom it logs in to: the master every worker, each worker
// its peers (the logins into the master come after, see log_in_to_master).
ProbePlan plan_for(const Inventory& inventory, const std::vector<Node>& nodes, std::size_t index,
                   const std::string& program) {
  ProbePlan plan;
  for (const Node* member : members_of(inventory)) plan.names.push_back(member->name);
  plan.program = program;
  plan.expected_connections = static_cast<int>(peers_of(0, nodes.size(), kAllPairsUpTo, kPeerSample).size());
  const Node& node = nodes[index];
  if (node.role == Role::master) {
    for (const auto& other : nodes)
      if (other.role != Role::master) plan.ssh_targets.push_back({other.name, destination(other)});
    return plan;
  }
  // node-to-node among the workers: all pairs up to 8, past that each tries the next one
  // round the ring (every worker is tried as a source and as a target; fresh logins cost).
  std::vector<std::size_t> workers;
  for (std::size_t i = 0; i < nodes.size(); ++i)
    if (nodes[i].role != Role::master) workers.push_back(i);
  auto me = std::find(workers.begin(), workers.end(), index) - workers.begin();
  for (auto p : peers_of(me, workers.size(), 8, 1)) {
    const Node& peer = nodes[workers[p]];
    plan.ssh_targets.push_back({peer.name, destination(peer)});
  }
  return plan;
}

void probe_nodes(const Inventory& inventory, const DoctorOptions& options, const remote::Ssh& ssh, DoctorFacts& facts) {
  std::vector<remote::Job> jobs;
  for (std::size_t i = 0; i < options.nodes.size(); ++i)
    jobs.push_back(command_job(ssh, options.nodes[i], probe_script(plan_for(inventory, options.nodes, i, options.program))));
  remote::FanOut fan({.fanout = options.fanout, .timeout = options.timeout, .cancel_fd = options.cancel_fd});
  auto runs = fan.collect(jobs);
  for (std::size_t i = 0; i < runs.size(); ++i) {
    const Node& node = options.nodes[i];
    if (!runs[i].outcome.ok()) {
      auto line = remote::failure_line(remote::target_of(node), runs[i].outcome, runs[i].err, options.timeout);
      facts.probe_failures[node.name] = line ? "probe: " + *line : "its probe failed";
      continue;
    }
    auto probe = parse_probe(runs[i].out);
    if (!probe) {
      facts.probe_failures[node.name] = probe.error().what;
      continue;
    }
    facts.probes[node.name] = std::move(*probe);
  }
}

// ssh-node-to-master: every probed worker logs in to the master, a few at a time.
void log_in_to_master(const Inventory& inventory, const DoctorOptions& options, const remote::Ssh& ssh,
                      DoctorFacts& facts) {
  const Node* master = inventory.master();
  if (!master) return;
  std::string script = framed(login_script({{master->name, destination(*master)}}));
  std::vector<const Node*> workers;
  std::vector<remote::Job> jobs;
  for (const auto& node : options.nodes) {
    if (node.role == Role::master || !facts.probes.count(node.name)) continue;
    workers.push_back(&node);
    jobs.push_back(command_job(ssh, node, script));
  }
  remote::FanOut fan({.fanout = std::min(options.fanout, kLoginsIntoMasterAtOnce), .timeout = options.timeout,
                      .cancel_fd = options.cancel_fd});
  auto runs = fan.collect(jobs);
  for (std::size_t i = 0; i < runs.size(); ++i) {
    auto& tried = facts.probes[workers[i]->name].ssh;
    auto attempt = parse_probe(runs[i].out);
    if (runs[i].outcome.ok() && attempt && attempt->ssh.count(master->name)) {
      tried[master->name] = attempt->ssh[master->name];
      continue;
    }
    // The worker did not say: what its own channel met stands for the login's error.
    auto line = remote::failure_line(remote::target_of(*workers[i]), runs[i].outcome, runs[i].err, options.timeout);
    tried[master->name] = {.exit_code = 255, .err = line ? *line : runs[i].err};
  }
}

// ports and clock: every node tries the listeners of its peers, after reading its clock.
void connect_nodes(const DoctorOptions& options, const remote::Ssh& ssh, DoctorFacts& facts) {
  std::vector<const Node*> probed;
  for (const auto& node : options.nodes)
    if (facts.probes.count(node.name)) probed.push_back(&node);
  std::vector<remote::Job> jobs;
  for (std::size_t i = 0; i < probed.size(); ++i) {
    std::vector<std::string> targets;
    for (auto p : peers_of(i, probed.size(), kAllPairsUpTo, kPeerSample)) targets.push_back(probed[p]->address.str());
    jobs.push_back(command_job(ssh, *probed[i], connect_script(targets, kProbePort, std::chrono::seconds(2))));
  }
  // The clock line comes first: the node read its clock between the job's start and the
  // line's arrival, so the master's clock half-way is right to within half that trip.
  std::vector<std::string> out(jobs.size());
  std::vector<double> sent(jobs.size(), 0);
  remote::FanOut fan({.fanout = options.fanout, .timeout = options.timeout, .cancel_fd = options.cancel_fd});
  auto outcomes = fan.run(jobs, [&](const remote::Event& e) {
    if (e.kind == remote::EventKind::started) sent[e.job] = now_seconds();
    if (e.kind != remote::EventKind::out_line) return;
    if (e.text.starts_with("clock ")) {
      double received = now_seconds(), node = std::strtod(std::string(e.text.substr(6)).c_str(), nullptr);
      facts.clock_skew[probed[e.job]->name] = {.ahead = node - (sent[e.job] + received) / 2,
                                                .error = (received - sent[e.job]) / 2};
    }
    out[e.job] += std::string(e.text) + "\n";
  });
  for (std::size_t i = 0; i < jobs.size(); ++i)
    if (outcomes[i].ok()) facts.connects[probed[i]->name] = parse_connect_output(out[i]);
}

// users: the accounts `users add` made, read on every probed node at once.
void read_users(const DoctorOptions& options, const remote::Ssh& ssh, DoctorFacts& facts) {
  facts.users = recorded_users();
  if (facts.users.empty()) return;
  std::vector<Node> probed;
  for (const auto& node : options.nodes)
    if (facts.probes.count(node.name)) probed.push_back(node);
  facts.accounts = read_each_accounts(probed, ssh, facts.users,
                                      {.fanout = options.fanout, .timeout = options.timeout, .cancel_fd = options.cancel_fd})
                       .accounts;
}

void fingerprint_shared_keys(DoctorFacts& facts) {
  std::map<std::string, int> seen;
  for (const auto& [name, probe] : facts.probes)
    for (const auto& key : probe.host_keys) ++seen[key];
  std::vector<std::string> shared;
  for (const auto& [key, count] : seen)
    if (count > 1) shared.push_back(key);
  auto prints = fingerprints(shared);
  if (!prints) return;
  for (std::size_t i = 0; i < shared.size(); ++i) facts.fingerprints[shared[i]] = (*prints)[i];
}

std::vector<Finding> machine_file_findings(const Inventory& inventory, const std::string& path) {
  auto text = sys::read_file(path);
  if (!text)
    return {Finding{.check = "machinefile", .subject = path, .verdict = Verdict::fail,
                    .evidence = "cannot be read: " + text.error().what,
                    .fix = fmt::format("beowulf machinefile > {}", path)}};
  return check_machine_file(inventory, *text, path);
}

Finding cpi_finding(const std::vector<Finding>& so_far, const std::function<Finding()>& cpi) {
  for (const auto& dep : find_check("cpi")->depends_on)
    if (check_verdict(so_far, dep) == Verdict::fail) return skipped("cpi", "cluster", dep + " failed");
  return cpi();
}

}  // namespace

std::vector<std::size_t> peers_of(std::size_t index, std::size_t count, std::size_t all_up_to, std::size_t sample) {
  std::vector<std::size_t> peers;
  std::size_t n = count <= all_up_to ? count - 1 : std::min(sample, count - 1);
  for (std::size_t k = 1; k <= n; ++k) peers.push_back((index + k) % count);
  return peers;
}

std::vector<Finding> run_doctor(const Inventory& inventory, const DoctorOptions& options, const remote::Ssh& ssh) {
  DoctorFacts facts{.inventory = inventory, .nodes = options.nodes, .program = options.program};
  std::vector<Finding> findings = machine_file_findings(inventory, options.machine_file);
  probe_nodes(inventory, options, ssh, facts);
  log_in_to_master(inventory, options, ssh, facts);
  connect_nodes(options, ssh, facts);
  fingerprint_shared_keys(facts);
  read_users(options, ssh, facts);
  auto add = [&](std::vector<Finding> more) { findings.insert(findings.end(), more.begin(), more.end()); };
  add(check_planned(inventory));
  add(check_reach(facts));
  for (const char* id : {"ssh-master-to-node", "ssh-node-to-master", "ssh-node-to-node"}) add(check_ssh(facts, id, findings));
  add(check_names(facts, findings));
  add(check_host_keys(facts, findings));
  add(check_mpi(facts, findings));
  add(check_arch(options.nodes));
  add(check_ports(facts, findings));
  add(check_interfaces(facts, findings));
  add(check_clock(facts, findings));
  add(check_disk(facts, findings));
  add(check_users(facts, findings));
  add(check_program(facts, findings));
  if (options.cpi) findings.push_back(cpi_finding(findings, options.cpi));
  return findings;
}

std::vector<FixOutcome> apply_safe_fixes(const Inventory& inventory, const std::vector<Finding>& findings,
                                         const remote::Ssh& ssh, std::chrono::milliseconds timeout,
                                         const std::function<bool(const Finding&)>& ask) {
  std::vector<remote::Job> jobs;
  std::vector<FixOutcome> outcomes;
  std::set<std::pair<std::string, std::string>> done;
  for (const auto& f : findings) {
    if (f.safe_fix.script.empty() || f.verdict == Verdict::ok) continue;
    const Node* node = inventory.find(f.safe_fix.node);
    if (!node || !done.insert({f.safe_fix.node, f.safe_fix.script}).second) continue;
    if (f.safe_fix.needs_asking && !ask(f)) continue;
    jobs.push_back(command_job(ssh, *node, f.safe_fix.script));
    outcomes.push_back({.node = node->name, .check = f.check});
  }
  remote::FanOut fan({.timeout = timeout});
  auto runs = fan.collect(jobs);
  for (std::size_t i = 0; i < runs.size(); ++i) {
    outcomes[i].ok = runs[i].outcome.ok();
    if (!outcomes[i].ok) {
      const Node* node = inventory.find(outcomes[i].node);
      auto line = remote::failure_line(remote::target_of(*node), runs[i].outcome, runs[i].err, timeout);
      outcomes[i].detail = line ? *line : runs[i].err;
    }
  }
  return outcomes;
}

}  // namespace beowulf::cluster
