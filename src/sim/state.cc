#include "sim/state.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <sstream>
#include <utility>

#include <fmt/core.h>

namespace beowulf::sim {
namespace {

std::vector<std::string> words(const std::string& line) {
  std::vector<std::string> out;
  std::istringstream in(line);
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

bool all_digits(const std::string& s) {
  return !s.empty() && s.size() < 20 && s.find_first_not_of("0123456789") == std::string::npos;
}

/// Applies one record to `state`; returns what is wrong with it, or empty.
std::string apply_record(SimState& state, const std::vector<std::string>& w) {
  const std::string& kind = w[0];
  if (kind == "sim" && w.size() == 4) {
    state.name = w[1], state.subnet = w[2], state.profile = w[3];
  } else if (kind == "node" && w.size() == 3) {
    state.nodes.push_back({w[1], w[2]});
  } else if (kind == "netns" && w.size() == 2) {
    state.netns.push_back(w[1]);
  } else if (kind == "mount" && w.size() == 2) {
    state.mounts.push_back(w[1]);
  } else if (kind == "process" && w.size() == 5) {
    if (!all_digits(w[3]) || !all_digits(w[4])) return "pid and start time must be numbers";
    state.processes[w[1]][w[2]] = {static_cast<pid_t>(std::stol(w[3])), std::stoull(w[4])};
  } else if (kind == "fault" && (w.size() == 3 || w.size() == 4)) {
    state.faults[w[1]].push_back({w[2], w.size() == 4 ? w[3] : ""});
  } else if (kind == "heal" && w.size() == 2) {
    state.faults.erase(w[1]);
  } else {
    return fmt::format("unknown record '{}'", kind);
  }
  return "";
}

}  // namespace

const NodeRecord* SimState::node(const std::string& label) const {
  for (const auto& n : nodes)
    if (n.label == label) return &n;
  return nullptr;
}

Result<SimState> parse_state(const std::string& text, const std::string& path) {
  SimState state;
  std::size_t start = 0;
  int number = 0;
  while (start < text.size()) {
    auto end = text.find('\n', start);
    if (end == std::string::npos) break;  // a record cut short by a crash: not made yet
    std::string line = text.substr(start, end - start);
    start = end + 1;
    ++number;
    if (number == 1) {
      if (line != kStateHeader)
        return Error{fmt::format("{}:1: not a beowulf sim state file (expected '{}')", path, kStateHeader)};
      continue;
    }
    auto w = words(line);
    if (w.empty()) continue;
    if (auto wrong = apply_record(state, w); !wrong.empty())
      return Error{fmt::format("{}:{}: {}: '{}'", path, number, wrong, line)};
  }
  if (number == 0) return Error{fmt::format("{}: empty state file", path)};
  return state;
}

Result<StateLog> StateLog::open(const std::string& path) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (fd < 0) return Error{fmt::format("open {}: {}", path, std::strerror(errno))};
  return StateLog(fd, path);
}

StateLog::StateLog(StateLog&& other) noexcept : fd_(std::exchange(other.fd_, -1)), path_(std::move(other.path_)) {}

StateLog::~StateLog() {
  if (fd_ >= 0) ::close(fd_);
}

Status StateLog::append(const std::string& record) {
  std::string line = record + "\n";
  ssize_t n = ::write(fd_, line.data(), line.size());  // one write: O_APPEND keeps it whole
  if (n != static_cast<ssize_t>(line.size()))
    return Error{fmt::format("write {}: {}", path_, n < 0 ? std::strerror(errno) : "short write")};
  return {};
}

}  // namespace beowulf::sim
