#include "cluster/node_command.h"

#include <fmt/core.h>

#include <algorithm>
#include <filesystem>

#include "cluster/members.h"

namespace beowulf::cluster {

remote::Job command_job(const remote::Ssh& ssh, const Node& node, const std::string& command) {
  if (node.role == Role::master) return {node.name, sys::ProcessSpec{.argv = {"sh", "-c", command}}};
  return {node.name, ssh.run(remote::target_of(node).ssh(), command)};
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
  if (node.role != Role::master) return remote::Job{node.name, ssh.copy_to(remote::target_of(node).ssh(), sources, destination, recursive)};
  if (std::all_of(sources.begin(), sources.end(), [&](const auto& s) { return same_file(s, destination); }))
    return std::nullopt;
  std::vector<std::string> argv = {"cp", "-p"};
  if (recursive) argv.push_back("-r");
  argv.push_back("--");
  argv.insert(argv.end(), sources.begin(), sources.end());
  argv.push_back(destination);
  return remote::Job{node.name, sys::ProcessSpec{.argv = std::move(argv)}};
}

remote::Job pull_job(const remote::Ssh& ssh, const Node& node, const std::string& source, const std::string& directory,
                     bool recursive) {
  if (node.role != Role::master) return {node.name, ssh.copy_from(remote::target_of(node).ssh(), source, directory, recursive)};
  std::vector<std::string> argv = {"cp", "-p"};
  if (recursive) argv.push_back("-r");
  argv.insert(argv.end(), {"--", source, directory});
  return {node.name, sys::ProcessSpec{.argv = std::move(argv)}};
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
