#include "slurm/slurm_down.h"

#include <sys/stat.h>

#include <sstream>

#include "slurm/node_job.h"
#include "slurm/node_scripts.h"

namespace beowulf::slurm {

bool on_virtual_node() {
  struct stat st {};
  return ::stat("/run/beowulf-sim/start", &st) == 0 && S_ISFIFO(st.st_mode);
}

DownReport slurm_down(const DownOptions& o) {
  DownReport report;
  auto script = down_script(on_virtual_node() ? Layout::virtual_cluster : Layout::boards, o.purge);
  std::vector<remote::Job> jobs;
  for (const auto& n : o.nodes) jobs.push_back(node_job(o.ssh, n, script));
  auto runs = run_on(jobs, "stop Slurm", {.fanout = o.fanout, .cancel_fd = o.cancel_fd}, report.errors);
  for (std::size_t i = 0; i < runs.size(); ++i) {
    if (!runs[i].outcome.ok()) continue;
    std::istringstream in(runs[i].out);
    std::string done;
    for (std::string line; std::getline(in, line);)
      if (!line.empty()) done += (done.empty() ? "" : ", ") + line;
    if (!done.empty()) report.changes.push_back(o.nodes[i].name + ": " + done);
  }
  return report;
}

}  // namespace beowulf::slurm
