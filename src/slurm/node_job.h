#pragma once
// NodeJob: a script of node_scripts.h run on a node, and how its failure reads. On the
// master (this machine) it runs with a local `sh -c`, elsewhere over ssh as the node's user.

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "core/inventory.h"
#include "remote/fan_out.h"
#include "remote/ssh.h"

namespace beowulf::slurm {

/// The job that runs `script` on `node` with `input` on its stdin.
remote::Job node_job(const remote::Ssh& ssh, const Node& node, const std::string& script, const std::string& input = {},
                     std::chrono::milliseconds timeout = std::chrono::minutes(2));

/// The error of a run that did not succeed, as "STEP: WHY" on the node: ssh's own
/// failure in user terms, sudo's refusal (a `sudo -n` that asked for a password: the
/// line that gives the node's user password-less sudo), a timeout, or the last line on
/// stderr.
Error node_failure(const remote::Target& target, const remote::NodeRun& run, std::string_view step);

/// Runs `jobs` (each on its target) at most `fanout` at once; a node whose run failed
/// gets its node_failure() in `errors`.
std::vector<remote::NodeRun> run_on(const std::vector<remote::Job>& jobs, std::string_view step,
                                    const remote::FanOutOptions& options, std::vector<Error>& errors);

}  // namespace beowulf::slurm
