#pragma once
// `beowulf run --slurm`: the launch `run` prepared (program and files synced, MPI chosen)
// submitted as a Slurm batch job instead of started with mpiexec here. Its output is
// followed while it runs (slurm/batch_job.h) and the exit status is the job's.

#include <string>

#include "core/inventory.h"
#include "launch/mpiexec_command.h"

namespace beowulf::cli {

/// Where the job may run: run's -w and -x, as Slurm's --nodelist and --exclude.
struct SlurmPlacement {
  std::string nodelist;  ///< folded member names, or empty
  std::string exclude;
};

/// Fails (with `beowulf slurm up` as the fix) when this master runs no Slurm.
Status check_slurm_is_up();

/// Submits `launch` (its MPI's mpiexec, which takes the ranks from the allocation; rank
/// count as --ntasks) from the current folder, prints its output as it comes, and returns
/// the job's exit status; 130 after Ctrl-C (the job is cancelled).
int run_as_batch_job(const launch::Launch& launch, const SlurmPlacement& placement, const Inventory& inventory,
                     int interrupt_fd);

}  // namespace beowulf::cli
