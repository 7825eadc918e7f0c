#pragma once
// What `add` and `discover --add` share: ask the password, add, print the table.

#include <string>

#include "cli/password_options.h"
#include "cluster/add.h"

namespace beowulf::cli {

/// Checks `add` (bad input refused before the password is asked), reads the password
/// (the prompt names `nodes`), adds, wipes the password, prints the table and each
/// failure; then keeps Slurm's node list in step, with no password (`slurm`: --slurm,
/// cli/slurm_follow_up.h); the exit status.
int add_and_report(cluster::AddOptions& add, const PasswordOptions& password, const std::string& nodes,
                   bool slurm = false);

}  // namespace beowulf::cli
