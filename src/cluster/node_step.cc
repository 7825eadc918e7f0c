#include "cluster/node_step.h"

#include <fmt/core.h>

#include "sys/password_input.h"

namespace beowulf::cluster {

std::vector<StepNode> step_nodes(const std::vector<Node>& nodes) {
  std::vector<StepNode> out;
  for (const Node& n : nodes) out.push_back(StepNode{remote::target_of(n)});
  return out;
}

std::vector<StepNode*> pointers(std::vector<StepNode>& nodes) {
  std::vector<StepNode*> out;
  for (auto& n : nodes) out.push_back(&n);
  return out;
}

void StepNode::fail(std::string_view step, std::string what, std::string hint) {
  error = Error{fmt::format("{}: {}", step, what), label(), std::move(hint)};
}

void run_step(std::vector<StepNode*> nodes, std::string_view step, const remote::FanOutOptions& options,
              const JobFor& job, const Check& check) {
  std::vector<StepNode*> running;
  std::vector<remote::Job> jobs;
  for (StepNode* n : nodes) {
    if (!n->ok()) continue;
    auto spec = job(*n);
    if (!spec) continue;
    running.push_back(n);
    jobs.push_back({n->target, std::move(*spec)});
  }
  if (jobs.empty()) return;
  auto runs = remote::FanOut(options).collect(jobs);
  for (auto& j : jobs) sys::wipe(j.spec.input);  // a sudo password, for some steps
  for (std::size_t i = 0; i < runs.size(); ++i) {
    StepNode& n = *running[i];
    const auto& outcome = runs[i].outcome;
    bool finished = outcome.end == remote::EventKind::exited && outcome.signal == 0;
    if (!finished) {
      Error e = remote::explain(runs[i], n.target, {.timeout = options.timeout});
      n.fail(step, e.what, e.hint);
      continue;
    }
    if (Status s = check(n, runs[i]); !s.ok()) {
      n.error = s.error();
      n.error->what = fmt::format("{}: {}", step, n.error->what);
      n.error->node = n.label();
    }
  }
}

}  // namespace beowulf::cluster
