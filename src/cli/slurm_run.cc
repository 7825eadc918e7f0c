#include "cli/slurm_run.h"

#include <fmt/core.h>

#include <cstdio>
#include <filesystem>

#include "cli/report.h"
#include "remote/ssh.h"
#include "slurm/batch_job.h"
#include "slurm/slurm_doctor.h"
#include "sys/process.h"

namespace beowulf::cli {
namespace {

/// The job's output file where its script runs: here when that is the master, else read
/// on that member over ssh (a file in the same folder there: `run` made it on every node).
slurm::ReadOutput output_of(const std::string& job, const std::string& path, const Inventory& inventory) {
  auto local = slurm::local_output(path);
  return [=, host = std::string()](std::uint64_t offset) mutable -> std::string {
    if (host.empty()) host = slurm::batch_host(job);
    const Node* node = host.empty() ? nullptr : inventory.find(host);
    if (node == nullptr || node->role == Role::master) return local(offset);
    remote::Ssh ssh;
    auto read = sys::run(ssh.run(remote::target_of(*node),
                                 fmt::format("tail -c +{} -- {} 2>/dev/null || true", offset + 1, remote::shell_quote(path))));
    return read && read->ok() ? read->out : "";
  };
}

}  // namespace

Status check_slurm_is_up() {
  if (slurm::slurm_configured()) return {};
  return Error{"Slurm is not set up on this cluster: there is no queue to submit to", "",
               "run 'beowulf slurm up' first (or 'beowulf run' without --slurm)"};
}

int run_as_batch_job(const launch::Launch& l, const SlurmPlacement& placement, const Inventory& inventory,
                     int interrupt_fd) {
  slurm::BatchRequest request;
  request.command = {l.mpi.mpiexec, l.program};
  request.command.insert(request.command.end(), l.args.begin(), l.args.end());
  request.name = std::filesystem::path(l.program).filename().string();
  request.tasks = l.ranks;
  request.nodelist = placement.nodelist;
  request.exclude = placement.exclude;
  request.env = l.env;
  request.workdir = std::filesystem::current_path().string();
  request.output = "slurm-%j.out";  // sbatch's own default, in the job's folder
  auto job = slurm::submit(request);
  if (!job)
    return report(Error{job.error().what, "", "'beowulf slurm status' shows the queue; 'beowulf slurm up' starts Slurm"});
  std::string output = fmt::format("{}/slurm-{}.out", request.workdir, *job);
  fmt::print(stderr, "run: submitted batch job {} ({} task{}); its output, also in slurm-{}.out, follows\n", *job,
             l.ranks, l.ranks == 1 ? "" : "s", *job);
  auto print = [](std::string_view text) {
    std::fwrite(text.data(), 1, text.size(), stdout);
    std::fflush(stdout);
    return true;
  };
  auto ended = slurm::follow_job(*job, output_of(*job, output, inventory), print, std::chrono::hours(24 * 365),
                                 interrupt_fd);
  if (!ended) {
    if (ended.error().what != "interrupted") return report(Error{fmt::format("batch job {}: {}", *job, ended.error().what)});
    slurm::cancel_job(*job);
    fmt::print(stderr, "beowulf: interrupted: batch job {} cancelled\n", *job);
    return exit_interrupted;
  }
  if (ended->state != "COMPLETED" && ended->exit_code == 0)
    return report(Error{fmt::format("batch job {} ended {}", *job, ended->state), "",
                        fmt::format("'scontrol show job {}' says why", *job)});
  return ended->exit_code;
}

}  // namespace beowulf::cli
