#include "launch/program_sync.h"

#include <fmt/core.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <regex>

#include "remote/fan_out.h"
#include "sys/atomic_file.h"
#include "sys/process.h"

namespace beowulf::launch {
namespace {

remote::SshTarget target_of(const Node& node) { return {node.user, node.address.str(), 22}; }

std::string last_line(const std::string& text) {
  auto end = text.find_last_not_of("\r\n");
  if (end == std::string::npos) return {};
  auto start = text.rfind('\n', end);
  return text.substr(start == std::string::npos ? 0 : start + 1, end - (start == std::string::npos ? 0 : start + 1) + 1);
}

/// Why a node's check or copy failed: ssh's reason in user terms, the timeout, or the
/// last line the command wrote.
Error node_error(const remote::Ssh& ssh, const Node& node, const remote::NodeRun& run, std::string_view step,
                 std::chrono::milliseconds timeout) {
  using remote::EventKind;
  std::string why;
  std::string hint = fmt::format("check it with 'beowulf exec -w {} true', or take it out with 'beowulf remove {}'",
                                 node.name, node.name);
  if (run.outcome.end == EventKind::timed_out) {
    why = fmt::format("{}: no answer within {} s", step, timeout.count() / 1000);
  } else if (run.outcome.end == EventKind::cancelled) {
    return Error{"interrupted", "", ""};
  } else if (run.outcome.end == EventKind::could_not_start) {
    why = fmt::format("{}: {}", step, run.outcome.reason);
  } else if (auto failed = ssh.explain_failure(target_of(node), node.label(), run.outcome.exit_code, run.err)) {
    why = fmt::format("{}: {}", step, failed->error.what);
    if (!failed->error.hint.empty()) hint = failed->error.hint;
  } else {
    std::string said = last_line(run.err);
    why = fmt::format("{}: {}", step, said.empty() ? fmt::format("exited with {}", run.outcome.exit_code) : said);
    return Error{why, node.label(), ""};
  }
  return Error{why, node.label(), hint};
}

}  // namespace

std::string checksum_command(const std::string& path) {
  return "sha256sum -- " + remote::shell_quote(path) + " 2>/dev/null; true";
}

std::optional<std::string> parse_checksum(std::string_view output) {
  static const std::regex hex("^([0-9a-f]{64}) ");
  std::match_results<std::string_view::const_iterator> m;
  if (!std::regex_search(output.begin(), output.end(), m, hex)) return std::nullopt;
  return m[1].str();
}

std::string install_command(const std::string& path, mode_t mode) {
  std::string dir = std::filesystem::path(path).parent_path().string();
  std::string temp = path + ".beowulf-new";
  return fmt::format("mkdir -p -- {0} && cat > {1} && chmod {2:o} {1} && mv -f -- {1} {3}", remote::shell_quote(dir),
                     remote::shell_quote(temp), mode & 07777, remote::shell_quote(path));
}

Result<std::string> resolve_program(const std::string& program) {
  std::string path = program.find('/') != std::string::npos ? program : sys::find_on_path(program);
  if (path.empty())
    return bad_input(fmt::format("{}: no such program on PATH", program), "give its path, e.g. ./" + program);
  std::error_code ec;
  auto absolute = std::filesystem::absolute(path, ec).lexically_normal().string();
  if (!std::filesystem::is_regular_file(absolute, ec) || ::access(absolute.c_str(), X_OK) != 0)
    return bad_input(fmt::format("{}: no such executable file", absolute));
  return absolute;
}

Result<SyncReport> sync_program(const std::vector<Node>& nodes, const remote::Ssh& ssh, const std::string& path,
                                const SyncOptions& options) {
  std::vector<const Node*> workers;
  std::vector<remote::Job> checks;
  std::string command = options.copy ? checksum_command(path) : "true";
  for (const auto& node : nodes) {
    if (node.role == Role::master) continue;
    workers.push_back(&node);
    checks.push_back({node.name, ssh.run(target_of(node), command)});
  }
  remote::FanOut fan({.timeout = options.timeout, .cancel_fd = options.cancel_fd});
  auto answers = fan.collect(checks);
  for (std::size_t i = 0; i < answers.size(); ++i)
    if (!answers[i].outcome.ok()) return node_error(ssh, *workers[i], answers[i], "does not answer", options.timeout);
  SyncReport report;
  if (!options.copy) return report;

  auto local = sys::run({.argv = {"sha256sum", "--", path}});
  auto mine = local.ok() ? parse_checksum(local->out) : std::nullopt;
  if (!mine) return Error{fmt::format("sha256sum {}: failed", path)};
  std::vector<const Node*> missing;
  for (std::size_t i = 0; i < answers.size(); ++i)
    if (parse_checksum(answers[i].out) != mine) missing.push_back(workers[i]);
  if (missing.empty()) return report;

  auto bytes = sys::read_file(path);
  if (!bytes) return bytes.error();
  struct stat st {};
  ::stat(path.c_str(), &st);
  std::vector<remote::Job> copies;
  for (const Node* node : missing) {
    auto spec = ssh.run(target_of(*node), install_command(path, st.st_mode));
    spec.input = *bytes;
    copies.push_back({node->name, std::move(spec)});
  }
  auto copied = remote::FanOut({.cancel_fd = options.cancel_fd}).collect(copies);
  for (std::size_t i = 0; i < copied.size(); ++i) {
    if (!copied[i].outcome.ok())
      return node_error(ssh, *missing[i], copied[i], fmt::format("copy {}", path), options.timeout);
    report.copied.push_back(missing[i]->name);
  }
  return report;
}

}  // namespace beowulf::launch
