// `beowulf copy`: files to every member at once (pdcp), or one file from each (rpdcp).

#include <fmt/core.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "cli/command.h"
#include "cli/member_options.h"
#include "cli/node_jobs.h"
#include "cli/report.h"
#include "cluster/members.h"
#include "cluster/node_command.h"
#include "sys/inventory_file.h"
#include "sys/paths.h"

namespace beowulf::cli {
namespace {

struct CopyOptions {
  MemberOptions members;
  bool gather = false, recursive = false;
  std::vector<std::string> paths;  ///< SRC... DEST, or SRC DESTDIR with --gather
};

/// Local sources must exist: refused before anything is copied anywhere.
Status check_sources(const std::vector<std::string>& sources, bool recursive) {
  for (const auto& s : sources) {
    std::error_code ec;
    if (!std::filesystem::exists(s, ec)) return bad_input(fmt::format("{}: no such file", s));
    if (std::filesystem::is_directory(s, ec) && !recursive)
      return bad_input(fmt::format("{} is a directory", s), "pass -r to copy directories");
  }
  return {};
}

/// The jobs that pull `source` from each node into `directory`/NODE/, made first.
Result<std::vector<remote::Job>> gather_jobs(const remote::Ssh& ssh, const std::vector<Node>& nodes,
                                             const std::string& source, const std::string& directory, bool recursive) {
  std::vector<remote::Job> jobs;
  for (const auto& node : nodes) {
    std::string into = (std::filesystem::path(directory) / node.name).string();
    std::error_code ec;
    std::filesystem::create_directories(into, ec);
    if (ec) return Error{fmt::format("make {}: {}", into, ec.message())};
    jobs.push_back(cluster::pull_job(ssh, node, source, into, recursive));
  }
  return jobs;
}

int run_copy(const CopyOptions& o) {
  if (o.paths.size() < 2)
    return report(bad_input(o.gather ? "--gather takes SRC and DESTDIR" : "copy takes SRC... and DEST",
                            "example: beowulf copy ./data.txt /home/linaro/"));
  if (o.gather && o.paths.size() != 2) return report(bad_input("--gather takes one SRC and one DESTDIR"));
  std::vector<std::string> sources(o.paths.begin(), o.paths.end() - 1);
  const std::string& destination = o.paths.back();
  if (!o.gather) {
    if (auto checked = check_sources(sources, o.recursive); !checked) return report(checked.error());
  }
  auto timeout = o.members.timeout();
  if (!timeout) return report(timeout.error());
  auto inventory = sys::load_inventory(sys::inventory_path());
  if (!inventory) return report(inventory.error());
  auto members = cluster::select_members(*inventory, o.members.include, o.members.exclude);
  if (!members) return report(members.error());

  remote::Ssh ssh;
  if (auto made = remote::ensure_control_dir(ssh.settings().control_dir); !made) return report(made.error());
  std::vector<remote::Job> jobs;
  if (o.gather) {
    auto pulls = gather_jobs(ssh, *members, sources.front(), destination, o.recursive);
    if (!pulls) return report(pulls.error());
    jobs = std::move(*pulls);
  } else {
    for (const auto& node : *members) {
      auto job = cluster::push_job(ssh, node, sources, destination, o.recursive);
      if (!job) continue;  // the master, already holding the files
      jobs.push_back(std::move(*job));
    }
  }
  NodeJobsOptions options;
  options.fanout = o.members.fanout;
  options.timeout = *timeout;
  options.transport = remote::Ran::copy;
  return run_node_jobs(jobs, options);
}

}  // namespace

Run attach_copy(CLI::App& sub) {
  auto o = std::make_shared<CopyOptions>();
  o->members.attach(sub, "give up on a node after SECONDS (default: never)");
  sub.add_flag("-r", o->recursive, "copy directories too");
  sub.add_flag("--gather", o->gather, "pull SRC from each node into DESTDIR/NODE/ instead (like rpdcp)");
  sub.add_option("paths", o->paths, "SRC... DEST (or SRC DESTDIR with --gather)")->required();
  sub.footer(
      "Copies in parallel over the warm ssh connections, keeping modes and times (like pdcp).\n"
      "The master gets a local copy unless the file is already there.\n\n"
      "Example:\n"
      "  beowulf copy ./input.dat ./cpi /home/linaro/\n"
      "  beowulf copy --gather /var/log/syslog ./logs     # ./logs/worker001/syslog ...");
  return [o] { return run_copy(*o); };
}

}  // namespace beowulf::cli
