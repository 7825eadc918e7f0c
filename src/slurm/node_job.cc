#include "slurm/node_job.h"

#include <fmt/core.h>

#include "remote/explain.h"

namespace beowulf::slurm {

remote::Job node_job(const remote::Ssh& ssh, const Node& node, const std::string& script, const std::string& input,
                     std::chrono::milliseconds timeout) {
  remote::Target target = remote::target_of(node);
  sys::ProcessSpec spec = ssh.run(target, script);
  spec.input = input;
  spec.timeout = timeout;
  return {target, std::move(spec)};
}

Error node_failure(const remote::Target& target, const remote::NodeRun& run, std::string_view step) {
  // A job that timed out ran for its timeout: its elapsed time says it.
  Error e = remote::explain(run, target, {.ran = remote::Ran::script, .timeout = run.outcome.elapsed});
  e.what = fmt::format("{}: {}", step, e.what);
  return e;
}

std::vector<remote::NodeRun> run_on(const std::vector<remote::Job>& jobs, std::string_view step,
                                    const remote::FanOutOptions& options, std::vector<Error>& errors) {
  auto runs = remote::FanOut(options).collect(jobs);
  for (std::size_t i = 0; i < runs.size(); ++i)
    if (!runs[i].outcome.ok()) errors.push_back(node_failure(jobs[i].target, runs[i], step));
  return runs;
}

}  // namespace beowulf::slurm
