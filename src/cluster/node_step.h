#pragma once
// NodeStep: one step of a workflow run on many nodes at once through FanOut. A node that
// fails a step keeps its error and takes no further step; the others go on.
// Messages name the node and the step: "worker002 (198.18.0.12): set hostname: ...".

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/inventory.h"
#include "core/result.h"
#include "remote/explain.h"
#include "remote/fan_out.h"
#include "remote/target.h"

namespace beowulf::cluster {

/// A node a workflow acts on, and how far it got.
struct StepNode {
  remote::Target target;       ///< where its jobs run: over ssh, or here when it is the master
  std::optional<Error> error;  ///< the first failure: the node takes no further step

  /// "worker002 (198.18.0.12)".
  std::string label() const { return target.label(); }
  const std::string& name() const { return target.name; }
  bool ok() const { return !error; }
  /// Records the failure of `step`: what "STEP: WHAT", node label(), hint.
  void fail(std::string_view step, std::string what, std::string hint = {});
};

/// One StepNode per node of `nodes`, each target made from the inventory's Node
/// (remote::target_of: the master runs its steps here).
std::vector<StepNode> step_nodes(const std::vector<Node>& nodes);

/// Pointers to each of `nodes`, as run_step takes them.
std::vector<StepNode*> pointers(std::vector<StepNode>& nodes);

/// What a step runs on a node; nullopt: nothing to do there.
using JobFor = std::function<std::optional<sys::ProcessSpec>(StepNode&)>;
/// Reads a node's outcome (exit status 0 or not); returns an error for the node, or ok.
using Check = std::function<Status(StepNode&, const remote::NodeRun&)>;

/// Runs `step` on every node of `nodes` that has no error yet (and `only` accepts, when
/// given). A node whose job could not start, timed out, was cancelled or killed by a
/// signal fails the step with remote::explain()'s reason, without calling `check`.
void run_step(std::vector<StepNode*> nodes, std::string_view step, const remote::FanOutOptions& options,
              const JobFor& job, const Check& check);

}  // namespace beowulf::cluster
