#pragma once
// NodeStep: one step of a workflow run on many nodes at once through FanOut. A node that
// fails a step keeps its error and takes no further step; the others go on.
// Messages name the node and the step: "worker002 (198.18.0.12): set hostname: ...".

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cluster/bootstrap_plan.h"
#include "core/result.h"
#include "remote/explain.h"
#include "remote/fan_out.h"
#include "remote/ssh.h"

namespace beowulf::cluster {

/// A node a workflow acts on, and how far it got.
struct StepNode {
  NamedNode node;
  std::string user;
  bool local = false;          ///< the master itself: scripts run here with `sh -c`
  std::optional<Error> error;  ///< the first failure: the node takes no further step

  /// "worker002 (198.18.0.12)".
  std::string label() const;
  /// Where its jobs run: over ssh as `user`, or here when `local`.
  remote::Target target() const;
  bool ok() const { return !error; }
  /// Records the failure of `step`: what "STEP: WHAT", node label(), hint.
  void fail(std::string_view step, std::string what, std::string hint = {});
};

/// What a step runs on a node; nullopt: nothing to do there.
using JobFor = std::function<std::optional<sys::ProcessSpec>(StepNode&)>;
/// Reads a node's outcome (exit status 0 or not); returns an error for the node, or ok.
using Check = std::function<Status(StepNode&, const remote::NodeRun&)>;

/// Runs `step` on every node of `nodes` that has no error yet (and `only` accepts, when
/// given). A node whose job could not start, timed out, was cancelled or killed by a
/// signal fails the step with remote::explain()'s reason, without calling `check`.
void run_step(std::vector<StepNode*> nodes, std::string_view step, const remote::FanOutOptions& options,
              const JobFor& job, const Check& check);

/// The job that runs `script` on `node`: over `ssh` as node.user, or `sh -c` when local.
sys::ProcessSpec script_job(const remote::Ssh& ssh, const StepNode& node, const std::string& script);

}  // namespace beowulf::cluster
