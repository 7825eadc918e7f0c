#include "cluster/node_command.h"

#include <fmt/core.h>

#include <algorithm>
#include <filesystem>

#include "cluster/members.h"

namespace beowulf::cluster {

remote::Job command_job(const remote::Ssh& ssh, const Node& node, const std::string& command) {
  remote::Target target = remote::target_of(node);
  return {target, ssh.run(target, command)};
}

namespace {

/// True when copying `source` to `destination` (a file, or a directory to copy into)
/// would copy it onto itself.
bool same_file(const std::string& source, const std::string& destination) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::path target = destination;
  if (fs::is_directory(target, ec)) target /= fs::path(source).filename();
  return fs::equivalent(source, target, ec);
}

}  // namespace

std::optional<remote::Job> push_job(const remote::Ssh& ssh, const Node& node, const std::vector<std::string>& sources,
                                    const std::string& destination, bool recursive) {
  remote::Target target = remote::target_of(node);
  if (target.local && std::all_of(sources.begin(), sources.end(), [&](const auto& s) { return same_file(s, destination); }))
    return std::nullopt;
  return remote::Job{target, ssh.copy_to(target, sources, destination, recursive)};
}

remote::Job pull_job(const remote::Ssh& ssh, const Node& node, const std::string& source, const std::string& directory,
                     bool recursive) {
  remote::Target target = remote::target_of(node);
  return {target, ssh.copy_from(target, source, directory, recursive)};
}

int exit_status(const remote::Outcome& outcome) {
  using remote::EventKind;
  switch (outcome.end) {
    case EventKind::timed_out: return 124;
    case EventKind::cancelled: return 130;
    case EventKind::could_not_start: return 127;
    default: break;
  }
  if (outcome.signal != 0) return 128 + outcome.signal;
  return outcome.exit_code;
}

}  // namespace beowulf::cluster
