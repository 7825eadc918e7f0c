#pragma once
// NodeCommand: a shell command run on members, as `beowulf exec` and `beowulf copy` run
// it: the job for FanOut (over the warm ssh sockets, or `sh -c` on the master, which is
// this machine), and how a node that failed is reported at the end, pdsh-style:
// "worker003: exited with 2", "worker004: timed out after 10 s".

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/inventory.h"
#include "remote/fan_out.h"
#include "remote/ssh.h"

namespace beowulf::cluster {

/// The job that runs `command` (one string for the shell) on `node`: over `ssh` as the
/// node's user, or with `sh -c` here when `node` is the master.
remote::Job command_job(const remote::Ssh& ssh, const Node& node, const std::string& command);

/// The job that copies local `sources` to `destination` on `node`, keeping modes (scp
/// -p), like pdcp; `cp -p` when `node` is the master. nullopt for the master when every
/// source already is the destination (a file copied onto itself).
std::optional<remote::Job> push_job(const remote::Ssh& ssh, const Node& node, const std::vector<std::string>& sources,
                                    const std::string& destination, bool recursive);

/// The job that copies `source` from `node` into the local `directory` (which must
/// exist), keeping modes, like rpdcp.
remote::Job pull_job(const remote::Ssh& ssh, const Node& node, const std::string& source, const std::string& directory,
                     bool recursive);

/// How a job reached its node: its failures read differently (scp exits 1 whatever failed).
enum class Transport { shell, copy };

/// The line that reports a node whose job did not succeed, or nullopt when it did:
/// "worker003: exited with 2", "worker003: killed by signal 9", "worker004: timed out
/// after 10 s", "worker002: interrupted", or, when ssh itself failed, ssh's reason in
/// user terms: "worker002: ssh: connection refused". `err` is what the job wrote on
/// stderr; `timeout` the one it had.
std::optional<std::string> failure_line(const remote::Ssh& ssh, const Node& node, const remote::Outcome& outcome,
                                        std::string_view err, std::chrono::milliseconds timeout,
                                        Transport transport = Transport::shell);

/// The exit status a node's outcome counts for in the command's own (the worst node's):
/// its exit status; 128+N when signal N ended it; 124 (as timeout(1)) when it timed out;
/// 127 when it could not start; 130 when interrupted.
int exit_status(const remote::Outcome& outcome);

/// "10 s", "0.5 s": a duration as the messages write it.
std::string seconds_text(std::chrono::milliseconds duration);

}  // namespace beowulf::cluster
