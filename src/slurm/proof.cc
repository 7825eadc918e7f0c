#include "slurm/proof.h"

#include <fmt/core.h>

#include <algorithm>
#include <filesystem>
#include <sstream>
#include <thread>

#include "slurm/batch_job.h"
#include "sys/process.h"

namespace beowulf::slurm {
namespace {

using Clock = std::chrono::steady_clock;

bool usable(const std::string& state) {
  auto base = state.substr(0, state.find_first_of("*~#%!+$@^-"));
  return base == "idle" || base == "allocated" || base == "mixed" || base == "completing";
}

std::string trimmed(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
}

Result<std::string> run_text(const std::vector<std::string>& argv, std::chrono::seconds timeout) {
  auto r = sys::run({.argv = argv, .timeout = timeout});
  if (!r) return r.error();
  if (r->timed_out) return Error{fmt::format("{}: no answer after {} s", argv[0], timeout.count())};
  if (!r->ok()) return Error{fmt::format("{}: {}", argv[0], trimmed(r->err.empty() ? r->out : r->err))};
  return r->out;
}

/// Why the nodes that are not usable are so: "worker002 down (Not responding)".
std::string not_ready(const std::vector<std::string>& nodes) {
  auto r = sys::run({.argv = {"sinfo", "-h", "-N", "-o", "%N %T %E"}, .timeout = std::chrono::seconds(10)});
  std::string text;
  if (!r || !r->ok()) return "sinfo does not answer";
  std::istringstream in(r->out);
  for (std::string name, state, reason; in >> name >> state && std::getline(in, reason);) {
    if (std::find(nodes.begin(), nodes.end(), name) == nodes.end() || usable(state)) continue;
    reason = trimmed(reason.empty() ? reason : reason.substr(1));
    text += fmt::format("{}{} {}{}", text.empty() ? "" : ", ", name, state,
                        reason.empty() || reason == "none" ? "" : " (" + reason + ")");
  }
  return text.empty() ? "not every node is in sinfo" : text;
}

}  // namespace

NodeStates parse_sinfo(const std::string& text) {
  NodeStates states;
  std::istringstream in(text);
  for (std::string name, state; in >> name >> state;) states.emplace_back(name, state);
  return states;
}

Status wait_until_idle(const std::vector<std::string>& nodes, std::chrono::seconds limit) {
  auto deadline = Clock::now() + limit;
  for (;;) {
    auto r = sys::run({.argv = {"sinfo", "-h", "-N", "-o", "%N %T"}, .timeout = std::chrono::seconds(10)});
    if (r && r->ok()) {
      auto states = parse_sinfo(r->out);
      bool all = std::all_of(nodes.begin(), nodes.end(), [&](const std::string& n) {
        return std::any_of(states.begin(), states.end(), [&](const auto& s) { return s.first == n && usable(s.second); });
      });
      if (all) return {};
    }
    if (Clock::now() > deadline)
      return Error{fmt::format("Slurm's nodes are not ready after {} s: {}", limit.count(), not_ready(nodes)), "",
                   "see 'beowulf slurm status' and the logs under /run/slurm (or /var/log/slurm)"};
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
  }
}

Result<std::vector<std::string>> srun_hostnames(std::size_t count) {
  auto out = run_text({"srun", fmt::format("-N{}", count), "-t", "1", "hostname"}, std::chrono::seconds(60));
  if (!out) return out.error();
  std::vector<std::string> names;
  std::istringstream in(*out);
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) names.push_back(line);
  std::sort(names.begin(), names.end());
  return names;
}

Result<std::string> batch_cpi(std::size_t count, const std::string& cpi, const std::string& output_dir) {
  std::error_code ec;
  std::filesystem::create_directories(output_dir, ec);
  BatchRequest request{.command = {"mpiexec.mpich", cpi},
                       .name = "beowulf-proof",
                       .nodes = static_cast<int>(count),
                       .one_task_per_node = true,
                       .output = output_dir + "/cpi-proof.out",
                       .minutes = 2};
  std::filesystem::remove(request.output, ec);
  auto job = submit(request);
  if (!job) return Error{"sbatch of " + cpi + ": " + job.error().what};
  std::string all, pi;
  auto look = [&](std::string_view text) {  // the pi line is the proof: no need to wait for the end
    all += text;
    std::istringstream lines(all);
    for (std::string line; std::getline(lines, line);)
      if (line.rfind("pi is approximately", 0) == 0 && !lines.eof()) pi = line;
    return pi.empty();
  };
  auto ended = follow_job(*job, local_output(request.output), look, std::chrono::seconds(150));
  if (!pi.empty()) return pi;
  if (!ended) return Error{fmt::format("sbatch of {}: job {}: {}", cpi, *job, ended.error().what)};
  return Error{fmt::format("sbatch of {}: job {} printed no 'pi is approximately' line in {}: {}", cpi, *job,
                           request.output, trimmed(all))};
}

}  // namespace beowulf::slurm
