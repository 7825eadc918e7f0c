#include "slurm/batch_job.h"

#include <fmt/core.h>
#include <poll.h>

#include <fstream>
#include <sstream>
#include <thread>

#include "remote/ssh.h"
#include "sys/process.h"

namespace beowulf::slurm {
namespace {

using Clock = std::chrono::steady_clock;

std::string trimmed(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
}

/// The value of `key=` in a line of KEY=VALUE words; empty when absent.
std::string field(std::string_view line, std::string_view key) {
  std::string wanted = std::string(key) + "=";
  for (std::size_t at = 0; (at = line.find(wanted, at)) != std::string_view::npos; at += wanted.size()) {
    if (at != 0 && line[at - 1] != ' ') continue;
    std::string_view rest = line.substr(at + wanted.size());
    return std::string(rest.substr(0, rest.find(' ')));
  }
  return "";
}

/// Whether the job is still in the queue; an error when squeue cannot say.
Result<bool> queued(const std::string& job) {
  auto r = sys::run({.argv = {"squeue", "-h", "-j", job, "-o", "%T"}, .timeout = std::chrono::seconds(10)});
  if (!r) return r.error();
  if (r->ok()) return !trimmed(r->out).empty();
  if (r->err.find("Invalid job id") != std::string::npos) return false;  // long gone from slurmctld's memory
  return Error{"squeue: " + trimmed(r->err)};
}

bool readable(int fd) {
  if (fd < 0) return false;
  pollfd p{fd, POLLIN, 0};
  return ::poll(&p, 1, 0) == 1 && (p.revents & POLLIN) != 0;
}

}  // namespace

std::vector<std::string> sbatch_argv(const BatchRequest& r) {
  std::vector<std::string> argv = {"sbatch", "--parsable", "-J", r.name};
  if (r.tasks > 0) argv.push_back(fmt::format("--ntasks={}", r.tasks));
  if (r.nodes > 0) argv.push_back(fmt::format("--nodes={}", r.nodes));
  if (r.one_task_per_node) argv.push_back("--ntasks-per-node=1");
  if (!r.nodelist.empty()) argv.push_back("--nodelist=" + r.nodelist);
  if (!r.exclude.empty()) argv.push_back("--exclude=" + r.exclude);
  if (r.minutes > 0) argv.push_back(fmt::format("--time={}", r.minutes));
  if (!r.workdir.empty()) argv.push_back("--chdir=" + r.workdir);
  if (!r.output.empty()) argv.insert(argv.end(), {"-o", r.output});
  std::string wrap = "exec";
  for (const auto& [name, value] : r.env) wrap += " " + remote::shell_quote(name + "=" + value);
  if (!r.env.empty()) wrap = "exec env" + wrap.substr(4);
  for (const auto& word : r.command) wrap += " " + remote::shell_quote(word);
  argv.insert(argv.end(), {"--wrap", wrap});
  return argv;
}

Result<std::string> submit(const BatchRequest& request) {
  auto r = sys::run({.argv = sbatch_argv(request), .timeout = std::chrono::seconds(30)});
  if (!r) return r.error();
  if (r->timed_out) return Error{"sbatch: no answer after 30 s"};
  if (!r->ok()) return Error{"sbatch: " + trimmed(r->err.empty() ? r->out : r->err)};
  std::string job = trimmed(r->out);
  return job.substr(0, job.find(';'));  // "ID;CLUSTER" on a federation
}

Result<JobEnd> parse_job_end(std::string_view line) {
  std::string state = field(line, "JobState"), code = field(line, "ExitCode");
  auto colon = code.find(':');
  if (state.empty() || colon == std::string::npos)
    return Error{fmt::format("scontrol did not say how the job ended: {}", trimmed(std::string(line)))};
  try {
    int status = std::stoi(code.substr(0, colon)), signal = std::stoi(code.substr(colon + 1));
    return JobEnd{state, signal != 0 ? 128 + signal : status};
  } catch (const std::exception&) {
    return Error{fmt::format("scontrol's ExitCode is not a number: {}", code)};
  }
}

ReadOutput local_output(const std::string& path) {
  return [path](std::uint64_t offset) -> std::string {
    std::ifstream in(path, std::ios::binary);
    if (!in) return "";
    in.seekg(static_cast<std::streamoff>(offset));
    std::ostringstream rest;
    rest << in.rdbuf();
    return rest.str();
  };
}

std::string batch_host(const std::string& job) {
  auto r = sys::run({.argv = {"squeue", "-h", "-j", job, "-o", "%B"}, .timeout = std::chrono::seconds(10)});
  if (!r || !r->ok()) return "";
  std::string host = trimmed(r->out);
  return host == "n/a" || host == "(null)" ? "" : host;
}

Result<JobEnd> follow_job(const std::string& job, const ReadOutput& read, const OnOutput& on_output,
                          std::chrono::seconds limit, int cancel_fd) {
  auto deadline = Clock::now() + limit;
  std::uint64_t offset = 0;
  for (bool ended = false;;) {
    std::string text = read(offset);
    offset += text.size();
    if (!text.empty() && !on_output(text)) return JobEnd{"RUNNING", 0};
    if (ended) break;
    if (readable(cancel_fd)) return Error{"interrupted"};
    if (Clock::now() > deadline) return Error{fmt::format("job {} has not ended after {} s", job, limit.count())};
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    auto still = queued(job);
    if (!still) return still.error();
    ended = !*still;
  }
  auto shown = sys::run({.argv = {"scontrol", "show", "job", "-o", job}, .timeout = std::chrono::seconds(10)});
  if (!shown) return shown.error();
  return parse_job_end(shown->out);
}

void cancel_job(const std::string& job) {
  (void)sys::run({.argv = {"scancel", job}, .timeout = std::chrono::seconds(10)});
}

}  // namespace beowulf::slurm
