#include "launch/program_sync.h"

#include <fmt/core.h>
#include <fmt/ranges.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <future>
#include <sstream>

#include "remote/explain.h"
#include "remote/fan_out.h"
#include "remote/mux_session.h"
#include "sys/process.h"

namespace beowulf::launch {
namespace {

/// Why a node's check or copy failed (remote::explain()), as step "STEP: ..."; a hint
/// for checking the node unless the node's own command said why.
Error node_error(const Node& node, const remote::NodeRun& run, std::string_view step,
                 std::chrono::milliseconds timeout) {
  if (run.outcome.end == remote::EventKind::cancelled) return Error{"interrupted", "", ""};
  Error e = remote::explain(run, remote::target_of(node), {.timeout = timeout});
  e.what = fmt::format("{}: {}", step, e.what);
  bool own_failure = run.outcome.end == remote::EventKind::exited && run.outcome.signal == 0 &&
                     !remote::ssh_failure(run, remote::target_of(node));
  if (own_failure) e.hint.clear();
  else if (e.hint.empty() || run.outcome.end == remote::EventKind::timed_out)
    e.hint = fmt::format("check it with 'beowulf exec -w {} true', or take it out with 'beowulf remove {}'",
                         node.name, node.name);
  return e;
}

std::string quoted_words(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& w : words) out += " " + remote::shell_quote(w);
  return out;
}

/// The master's checksums of `files`; fails naming a file it cannot read.
Result<std::map<std::string, std::string>> local_sums(const std::vector<std::string>& files) {
  if (files.empty()) return std::map<std::string, std::string>{};
  std::vector<std::string> argv = {"sha256sum", "--"};
  argv.insert(argv.end(), files.begin(), files.end());
  auto r = sys::run({.argv = argv});
  if (!r) return r.error();
  auto sums = parse_answer(r->out).sums;
  for (const auto& f : files)
    if (!sums.contains(f)) return Error{fmt::format("{}: cannot be read here", f), "", ""};
  return sums;
}

/// A tar stream of `files` (absolute paths) relative to the root.
Result<std::string> tar_of(const std::vector<std::string>& files) {
  std::vector<std::string> argv = {"tar", "-C", "/", "-cf", "-", "--no-recursion", "--"};
  for (const auto& f : files) argv.push_back(f.substr(1));
  auto r = sys::run({.argv = argv});
  if (!r) return r.error();
  if (r->exit_code != 0) return Error{fmt::format("tar of {}: {}", fmt::join(files, ", "), remote::last_line(r->err)), "", ""};
  return r->out;
}

/// A session over the node's master socket as FanOut would have reported an ssh run.
remote::NodeRun as_node_run(const Node& node, remote::MuxRun&& run) {
  using remote::EventKind;
  remote::NodeRun r{node.name, {}, std::move(run.out), std::move(run.err)};
  switch (run.end) {
    case remote::MuxEnd::exited: r.outcome = {.end = EventKind::exited, .exit_code = run.exit_code}; break;
    case remote::MuxEnd::timed_out: r.outcome = {.end = EventKind::timed_out}; break;
    case remote::MuxEnd::cancelled: r.outcome = {.end = EventKind::cancelled}; break;
    default: r.outcome = {.end = EventKind::could_not_start, .reason = run.reason}; break;
  }
  return r;
}

/// `command` on every node: over its live master socket where there is one (no ssh
/// process at all), with the ssh client where there is none (which opens one).
std::vector<remote::NodeRun> run_on_each(const std::vector<const Node*>& nodes, const remote::Ssh& ssh,
                                         const std::string& command, const SyncOptions& options) {
  std::vector<remote::MuxJob> over_sockets;
  for (const Node* node : nodes) over_sockets.push_back({remote::target_of(*node), command});
  auto muxed = remote::run_over_masters(ssh, over_sockets, options.timeout, options.cancel_fd);
  std::vector<remote::Job> with_ssh;
  std::vector<std::size_t> which;
  for (std::size_t i = 0; i < nodes.size(); ++i)
    if (muxed[i].end == remote::MuxEnd::no_master) {
      remote::Target target = remote::target_of(*nodes[i]);
      with_ssh.push_back({target, ssh.run(target, command)});
      which.push_back(i);
    }
  auto ran = remote::FanOut({.fanout = options.fanout, .timeout = options.timeout, .cancel_fd = options.cancel_fd}).collect(with_ssh);
  std::vector<remote::NodeRun> runs;
  for (std::size_t i = 0; i < nodes.size(); ++i) runs.push_back(as_node_run(*nodes[i], std::move(muxed[i])));
  for (std::size_t k = 0; k < which.size(); ++k) runs[which[k]] = std::move(ran[k]);
  return runs;
}

/// Unpacks the tar stream `bytes` on every node of `group`; `each_done` is called as
/// each node's copy ends.
std::vector<remote::NodeRun> send_to(const std::vector<const Node*>& group, const remote::Ssh& ssh,
                                     const std::string& bytes, const SyncOptions& options,
                                     const std::function<void()>& each_done) {
  std::vector<remote::Job> copies;
  std::vector<remote::NodeRun> runs;
  for (const Node* node : group) {
    remote::Target target = remote::target_of(*node);
    auto spec = ssh.run(target, unpack_command());
    spec.input = bytes;
    copies.push_back({target, std::move(spec)});
    runs.push_back({node->name, {}, {}, {}});
  }
  auto outcomes = remote::FanOut({.fanout = options.fanout, .cancel_fd = options.cancel_fd}).run(copies, [&](const remote::Event& e) {
    if (e.kind == remote::EventKind::err_line) runs[e.job].err += std::string(e.text) + "\n";
    if (e.kind != remote::EventKind::started && e.kind != remote::EventKind::out_line &&
        e.kind != remote::EventKind::err_line)
      each_done();
  });
  for (std::size_t i = 0; i < runs.size(); ++i) runs[i].outcome = outcomes[i];
  return runs;
}

/// Nodes grouped by the files they lack, groups in the order their first node came.
std::vector<std::pair<std::vector<std::string>, std::vector<const Node*>>> group_by_files(
    const std::vector<const Node*>& nodes, const std::vector<std::vector<std::string>>& lacking) {
  std::vector<std::pair<std::vector<std::string>, std::vector<const Node*>>> groups;
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    if (lacking[i].empty()) continue;
    auto it = std::find_if(groups.begin(), groups.end(), [&](const auto& g) { return g.first == lacking[i]; });
    if (it == groups.end()) groups.push_back({lacking[i], {nodes[i]}});
    else it->second.push_back(nodes[i]);
  }
  return groups;
}

}  // namespace

std::string check_command(const SyncRequest& request) {
  std::string command;
  // `test` and `for` are the shell's own: a folder that is there and a path tested cost
  // no process; sha256sum comes last and replaces the shell (exec), so the whole check
  // is one process on the node.
  if (!request.workdir.empty()) {
    std::string dir = remote::shell_quote(request.workdir);
    command += "[ -d " + dir + " ] || mkdir -p -- " + dir + " 2>/dev/null; ";
  }
  if (!request.required.empty()) {
    std::vector<std::string> paths;
    for (const auto& r : request.required) paths.push_back(r.path);
    command += "for p in" + quoted_words(paths) + "; do [ -e \"$p\" ] || echo \"missing $p\"; done; ";
  }
  if (request.files.empty()) return command + "true";
  return command + "exec sha256sum --" + quoted_words(request.files) + " 2>/dev/null";
}

bool answered(const remote::Outcome& outcome) {
  return outcome.end == remote::EventKind::exited && (outcome.exit_code == 0 || outcome.exit_code == 1);
}

NodeAnswer parse_answer(std::string_view output) {
  NodeAnswer answer;
  std::istringstream in{std::string(output)};
  for (std::string line; std::getline(in, line);) {
    if (line.starts_with("missing ")) {
      answer.missing.push_back(line.substr(8));
      continue;
    }
    // "HASH  PATH" (or "HASH *PATH"); a name sha256sum had to escape starts with '\'
    // and is left out: that file is sent again, which is safe.
    if (line.size() < 67 || line[64] != ' ' || (line[65] != ' ' && line[65] != '*')) continue;
    std::string hash = line.substr(0, 64);
    if (hash.find_first_not_of("0123456789abcdef") != std::string::npos) continue;
    answer.sums[line.substr(66)] = hash;
  }
  return answer;
}

std::vector<std::string> differing_files(const std::vector<std::string>& files,
                                         const std::map<std::string, std::string>& mine,
                                         const std::map<std::string, std::string>& theirs) {
  std::vector<std::string> out;
  for (const auto& f : files) {
    auto m = mine.find(f), t = theirs.find(f);
    if (m == mine.end() || t == theirs.end() || m->second != t->second) out.push_back(f);
  }
  return out;
}

std::string unpack_command() { return "tar -C / -xpf - --no-same-owner"; }

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

Result<SyncReport> sync_files(const std::vector<Node>& nodes, const remote::Ssh& ssh, const SyncRequest& request,
                              const SyncOptions& options) {
  SyncRequest asked = request;
  if (!options.copy) asked.files.clear();
  std::vector<const Node*> workers;
  for (const auto& node : nodes)
    if (node.role != Role::master) workers.push_back(&node);
  // The master's own checksums are taken while the nodes work on theirs.
  auto sums_here = std::async(std::launch::async, local_sums, asked.files);
  auto answers = run_on_each(workers, ssh, check_command(asked), options);
  auto mine = sums_here.get();
  std::vector<std::vector<std::string>> lacking;
  for (std::size_t i = 0; i < answers.size(); ++i) {
    if (!answered(answers[i].outcome))
      return node_error(*workers[i], answers[i], "does not answer", options.timeout);
    auto answer = parse_answer(answers[i].out);
    for (const auto& r : asked.required)
      if (std::find(answer.missing.begin(), answer.missing.end(), r.path) != answer.missing.end())
        return Error{r.what, workers[i]->label(),
                     fmt::format("install it there: beowulf exec -w {} -- sudo apt-get install -y {}", workers[i]->name,
                                 r.package)};
    if (!mine) return mine.error();
    lacking.push_back(differing_files(asked.files, *mine, answer.sums));
  }

  auto groups = group_by_files(workers, lacking);
  std::vector<std::string> tars;
  std::uint64_t total = 0;
  for (const auto& [files, group] : groups) {
    auto bytes = tar_of(files);
    if (!bytes) return bytes.error();
    total += bytes->size() * group.size();
    tars.push_back(std::move(*bytes));
  }
  SyncReport report;
  std::uint64_t done = 0;
  if (options.progress && total > 0) options.progress(0, total);
  for (std::size_t g = 0; g < groups.size(); ++g) {
    const auto& [files, group] = groups[g];
    auto copied = send_to(group, ssh, tars[g], options, [&] {
      done += tars[g].size();
      if (options.progress) options.progress(done, total);
    });
    SentGroup sent{files, {}};
    for (std::size_t i = 0; i < copied.size(); ++i) {
      if (!copied[i].outcome.ok()) return node_error(*group[i], copied[i], "send files", options.timeout);
      sent.nodes.push_back(group[i]->name);
    }
    report.sent.push_back(std::move(sent));
  }
  return report;
}

}  // namespace beowulf::launch
