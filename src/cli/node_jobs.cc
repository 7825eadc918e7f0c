#include "cli/node_jobs.h"

#include <fmt/core.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <string>

#include "cli/report.h"
#include "cli/style.h"
#include "cluster/node_command.h"
#include "cli/interrupt.h"
#include "core/output_groups.h"
#include "core/printable.h"
#include "remote/kept_output.h"

namespace beowulf::cli {
namespace {

std::string_view end_name(remote::EventKind kind) {
  switch (kind) {
    case remote::EventKind::exited: return "exited";
    case remote::EventKind::timed_out: return "timed_out";
    case remote::EventKind::could_not_start: return "could_not_start";
    default: return "cancelled";
  }
}

void print_json(const remote::NodeRun& run, const std::optional<std::string>& failure) {
  nlohmann::json object = {{"node", run.node},
                           {"end", end_name(run.outcome.end)},
                           {"exit_status", cluster::exit_status(run.outcome)},
                           {"stdout", run.out},
                           {"stderr", run.err},
                           {"seconds", run.outcome.elapsed.count() / 1000.0}};
  if (failure) object["failure"] = *failure;
  fmt::print("{}\n", object.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

/// False for a node that never ran the command (down, hung, not started): the failure
/// line speaks for it, not an empty group.
bool answered(const remote::Target& target, const remote::NodeRun& run) {
  if (!run.out.empty()) return true;
  bool ssh_failed = !target.local && run.outcome.exit_code == 255;
  return run.outcome.end == remote::EventKind::exited && !ssh_failed;
}

}  // namespace

int run_node_jobs(const std::vector<remote::Job>& jobs, const NodeJobsOptions& options) {
  InterruptGuard interrupt;
  remote::FanOut fan({.fanout = options.fanout, .timeout = options.timeout, .cancel_fd = interrupt.fd()});
  std::vector<remote::NodeRun> runs(jobs.size());
  for (std::size_t i = 0; i < jobs.size(); ++i) runs[i].node = jobs[i].target.name;

  auto outcomes = fan.run(jobs, [&](const remote::Event& e) {
    bool out = e.kind == remote::EventKind::out_line;
    if (!out && e.kind != remote::EventKind::err_line) return;
    remote::keep_line(out ? runs[e.job].out : runs[e.job].err, e.text);
    // -b gathers stdout; stderr (ssh's complaints among it) still comes as it comes.
    // A copy's stderr is scp's: its failure line at the end says the same in user terms.
    if (options.mode == OutputMode::json || (options.mode == OutputMode::gathered && out)) return;
    if (!out && options.transport == remote::Ran::copy) return;
    std::FILE* stream = out ? stdout : stderr;
    fmt::print(stream, "{}: {}\n", styled(stream, "1", e.node), printable(e.text));
    std::fflush(stream);
  });

  int worst = 0;
  std::vector<std::string> failures;
  std::vector<NodeOutput> outputs;
  for (std::size_t i = 0; i < jobs.size(); ++i) {
    runs[i].outcome = outcomes[i];
    auto failure = remote::failure_line(jobs[i].target, outcomes[i], runs[i].err, options.timeout,
                                        options.transport);
    if (failure) failures.push_back(*failure);
    worst = std::max(worst, cluster::exit_status(outcomes[i]));
    if (options.mode == OutputMode::json) print_json(runs[i], failure);
    if (options.mode == OutputMode::gathered && answered(jobs[i].target, runs[i])) outputs.push_back({runs[i].node, printable(runs[i].out)});
  }
  if (options.mode == OutputMode::gathered) fmt::print("{}", format_groups(group_outputs(outputs)));
  std::fflush(stdout);
  if (options.mode != OutputMode::json)
    for (const auto& line : failures) fmt::print(stderr, "{}\n", printable(line));
  return interrupt.interrupted() ? exit_interrupted : worst;
}

}  // namespace beowulf::cli
