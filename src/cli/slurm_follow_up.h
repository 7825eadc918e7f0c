#pragma once
// What `add` and `remove` call once they changed the members: Slurm's node list kept in
// step (the work is `beowulf slurm up`, src/slurm/slurm_up.h).

namespace beowulf::cli {

/// When this master runs Slurm (a slurm.conf `slurm up` wrote): with `update` (--slurm),
/// or on a terminal when the user says yes, runs `slurm up` (no batch proof; no password:
/// the members' sudo needs none); else prints the one command that does it. The exit
/// status: ok when Slurm is not set up here, or only the command was printed.
int slurm_follow_up(bool update);

}  // namespace beowulf::cli
