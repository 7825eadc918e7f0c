#include "slurm/slurm_doctor.h"

#include <fmt/core.h>

#include <fstream>
#include <map>
#include <sstream>

#include "slurm/node_job.h"
#include "slurm/slurm_status.h"
#include "sys/process.h"

namespace beowulf::slurm {
namespace {

constexpr const char* kConf = "/etc/slurm/slurm.conf";
constexpr const char* kChecks[] = {"slurm-munge", "slurm-munge-key", "slurm-conf", "slurm-controller"};

/// The script: "KEY ok" or "KEY WHY" lines; `credential` is the master's, to decode here.
std::string doctor_script(const std::string& credential) {
  return fmt::format(
      "e=$(mktemp) || exit 1\n"
      "echo \"conf $(sha256sum < {0} 2>/dev/null | cut -c1-64)\"\n"
      "if c=$(munge -n </dev/null 2>\"$e\") && printf '%s\\n' \"$c\" | unmunge >/dev/null 2>\"$e\"; then echo 'munge ok'; "
      "else echo \"munge $(tail -n 1 \"$e\")\"; fi\n"
      "if printf '%s\\n' '{1}' | unmunge >/dev/null 2>\"$e\"; then echo 'key ok'; "
      "else echo \"key $(tail -n 1 \"$e\")\"; fi\n"
      "if scontrol ping 2>\"$e\" | grep -q 'is UP'; then echo 'controller ok'; "
      "else echo \"controller $(scontrol ping 2>&1 | tail -n 1)\"; fi\n"
      "rm -f \"$e\"\n",
      kConf, credential);
}

std::map<std::string, std::string> lines_of(const std::string& out) {
  std::map<std::string, std::string> lines;
  std::istringstream in(out);
  for (std::string line; std::getline(in, line);) {
    auto space = line.find(' ');
    lines[line.substr(0, space)] = space == std::string::npos ? "" : line.substr(space + 1);
  }
  return lines;
}

DoctorFinding fail(const std::string& check, const Node& node, std::string evidence, std::string fix) {
  return {check, node.name, false, false, std::move(evidence), std::move(fix)};
}

std::string file_hash(const std::string& path) {
  auto r = sys::run({.argv = {"sha256sum", path}, .timeout = std::chrono::seconds(10)});
  return r && r->ok() ? r->out.substr(0, 64) : "";
}

}  // namespace

bool slurm_configured() {
  std::ifstream in(kConf);
  std::string first;
  std::getline(in, first);
  return first.find("written by 'beowulf slurm up'") != std::string::npos;
}

std::vector<DoctorFinding> judge_node(const Node& node, const std::string& master_conf, const std::string& out) {
  auto lines = lines_of(out);
  std::vector<DoctorFinding> found;
  if (lines["munge"] == "ok") found.push_back({"slurm-munge", node.name, true, false, "munged answers: munge -n | unmunge"});
  else
    found.push_back(fail("slurm-munge", node, "munged does not answer: " + lines["munge"],
                         "beowulf slurm up (it starts munged where it is stopped)"));
  bool munge_ok = lines["munge"] == "ok";
  if (!munge_ok)
    found.push_back({"slurm-munge-key", node.name, true, true, "not checked: munged does not answer"});
  else if (lines["key"] == "ok")
    found.push_back({"slurm-munge-key", node.name, true, false, "decodes the master's credential: the same munge key"});
  else
    found.push_back(fail("slurm-munge-key", node, "cannot decode the master's credential: " + lines["key"] +
                                                      " (another munge key, or a clock apart)",
                         "beowulf slurm up (it puts the master's key on every node and restarts munged)"));
  if (lines["conf"] == master_conf)
    found.push_back({"slurm-conf", node.name, true, false, "the same slurm.conf as the master's"});
  else
    found.push_back(fail("slurm-conf", node,
                         lines["conf"].empty() ? "no /etc/slurm/slurm.conf"
                                               : "its /etc/slurm/slurm.conf differs from the master's (sha256 " +
                                                     lines["conf"].substr(0, 12) + ")",
                         "beowulf slurm up (it writes the same slurm.conf everywhere and restarts the daemons)"));
  if (!munge_ok || lines["key"] != "ok")
    found.push_back({"slurm-controller", node.name, true, true, "not checked: it needs munge and the master's key"});
  else if (lines["controller"] == "ok")
    found.push_back({"slurm-controller", node.name, true, false, "scontrol ping: the controller is UP"});
  else
    found.push_back(fail("slurm-controller", node, "scontrol ping: " + lines["controller"],
                         "beowulf slurm up (it starts slurmctld on the master); check TCP 6817 to the master"));
  return found;
}

std::vector<DoctorFinding> judge_states(const std::vector<Node>& nodes, const std::string& sinfo) {
  auto states = parse_node_states(sinfo);
  std::vector<DoctorFinding> found;
  for (const auto& node : nodes) {
    const NodeState* s = nullptr;
    for (const auto& st : states)
      if (st.name == node.name) s = &st;
    if (!s) {
      found.push_back(fail("slurm-node", node, "not in Slurm's node list", "beowulf slurm up (it lists every member)"));
      continue;
    }
    std::string base = s->state.substr(0, s->state.find_first_of("*~#%!+$@^-"));
    bool responding = s->state.find('*') == std::string::npos;
    if (responding && (base == "idle" || base == "alloc" || base == "mix" || base == "comp")) {
      found.push_back({"slurm-node", node.name, true, false, s->state});
      continue;
    }
    std::string reason = !s->reason.empty() ? s->reason : responding ? "" : "its slurmd does not answer the controller";
    std::string evidence = s->state + (reason.empty() ? "" : " (" + reason + ")");
    std::string fix = fmt::format("sudo scontrol update nodename={} state=resume", node.name);
    if (s->reason.find("Low RealMemory") != std::string::npos || s->reason.find("Low CPUs") != std::string::npos)
      fix = "beowulf slurm up (it declares the memory and cores each node has)";
    else if (s->state.find('*') != std::string::npos)
      fix = "beowulf slurm up (it starts slurmd where it is stopped)";
    found.push_back(fail("slurm-node", node, evidence, fix));
  }
  return found;
}

std::vector<DoctorFinding> slurm_doctor(const std::vector<Node>& nodes, const remote::Ssh& ssh, std::size_t fanout,
                                        std::chrono::milliseconds timeout, int cancel_fd) {
  auto credential = sys::run({.argv = {"munge", "-n"}, .timeout = std::chrono::seconds(10)});
  std::string cred = credential && credential->ok() ? credential->out.substr(0, credential->out.find('\n')) : "";
  std::string master_conf = file_hash(kConf);
  std::vector<remote::Job> jobs;
  for (const auto& n : nodes) jobs.push_back(node_job(ssh, n, doctor_script(cred), {}, timeout));
  std::vector<Error> errors;
  auto runs = run_on(jobs, "slurm checks", {.fanout = fanout, .cancel_fd = cancel_fd}, errors);
  std::vector<DoctorFinding> per_node;
  for (std::size_t i = 0; i < runs.size(); ++i) {
    if (runs[i].outcome.ok()) {
      auto found = judge_node(nodes[i], master_conf, runs[i].out);
      per_node.insert(per_node.end(), found.begin(), found.end());
    } else {
      auto e = node_failure(jobs[i].target, runs[i], "slurm checks");
      per_node.push_back(fail("slurm-munge", nodes[i], e.what, e.hint));
    }
  }
  std::vector<DoctorFinding> ordered;
  for (const char* check : kChecks)
    for (const auto& f : per_node)
      if (f.check == check) ordered.push_back(f);
  auto sinfo = sys::run({.argv = {"sinfo", "-h", "-N", "-o", "%N|%t|%E"}, .timeout = std::chrono::seconds(20)});
  auto states = judge_states(nodes, sinfo && sinfo->ok() ? sinfo->out : "");
  ordered.insert(ordered.end(), states.begin(), states.end());
  return ordered;
}

}  // namespace beowulf::slurm
