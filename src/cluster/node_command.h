#pragma once
// NodeCommand: a shell command run on members, as `beowulf exec` and `beowulf copy` run
// it: the job for FanOut (over the warm ssh sockets, or `sh -c` on the master, which is
// this machine), and the exit status a node's outcome counts for. How a node that failed
// is reported at the end, pdsh-style, is remote::failure_line().

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/inventory.h"
#include "remote/explain.h"
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

/// The exit status a node's outcome counts for in the command's own (the worst node's):
/// its exit status; 128+N when signal N ended it; 124 (as timeout(1)) when it timed out;
/// 127 when it could not start; 130 when interrupted.
int exit_status(const remote::Outcome& outcome);

}  // namespace beowulf::cluster
