#include "slurm/slurm_status.h"

#include <fmt/core.h>

#include <sstream>

#include "core/nodeset.h"
#include "sys/process.h"

namespace beowulf::slurm {
namespace {

std::vector<std::string> fields(const std::string& line) {
  std::vector<std::string> parts;
  std::size_t at = 0;
  for (;;) {
    auto bar = line.find('|', at);
    parts.push_back(line.substr(at, bar == std::string::npos ? std::string::npos : bar - at));
    if (bar == std::string::npos) return parts;
    at = bar + 1;
  }
}

std::string trimmed(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
}

}  // namespace

std::vector<NodeState> parse_node_states(const std::string& text) {
  std::vector<NodeState> states;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    auto f = fields(line);
    if (f.size() < 3 || f[0].empty()) continue;
    states.push_back({f[0], f[1], f[2] == "none" ? "" : f[2]});
  }
  return states;
}

std::vector<QueuedJob> parse_queue(const std::string& text) {
  std::vector<QueuedJob> jobs;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    auto f = fields(line);
    if (f.size() < 6) continue;
    jobs.push_back({f[0], f[1], f[2], f[3], f[4], f[5]});
  }
  return jobs;
}

Result<SlurmStatus> slurm_status() {
  auto sinfo = sys::run({.argv = {"sinfo", "-h", "-N", "-o", "%N|%t|%E"}, .timeout = std::chrono::seconds(20)});
  if (!sinfo) return Error{"sinfo: " + sinfo.error().what, "", "install slurm-client, then 'beowulf slurm up'"};
  if (!sinfo->ok())
    return Error{"sinfo: " + trimmed(sinfo->err), "", "is Slurm up? 'beowulf slurm up' starts it; 'beowulf doctor' checks it"};
  auto squeue = sys::run({.argv = {"squeue", "-h", "-o", "%i|%u|%j|%T|%M|%R"}, .timeout = std::chrono::seconds(20)});
  if (!squeue || !squeue->ok()) return Error{"squeue: " + (squeue ? trimmed(squeue->err) : squeue.error().what)};
  return SlurmStatus{parse_node_states(sinfo->out), parse_queue(squeue->out)};
}

std::string folded_names(const std::vector<std::string>& names) {
  std::string list;
  for (const auto& n : names) list += (list.empty() ? "" : ",") + n;
  auto set = NodeSet::parse(list);
  return set ? set->fold() : list;
}

}  // namespace beowulf::slurm
