#include "sim/proc.h"

#include <arpa/inet.h>
#include <sys/stat.h>

#include <filesystem>
#include <set>

#include <sstream>

#include <fmt/core.h>

#include "sys/atomic_file.h"

namespace beowulf::sim {

std::optional<unsigned long long> start_time_of(pid_t pid) {
  auto stat = sys::read_file(fmt::format("/proc/{}/stat", pid));
  if (!stat) return std::nullopt;
  auto paren = stat->rfind(')');  // the command name may hold spaces and parentheses
  if (paren == std::string::npos) return std::nullopt;
  std::istringstream rest(stat->substr(paren + 1));
  std::string field;
  for (int i = 3; i <= 22 && rest >> field; ++i) {
    if (i == 3 && (field == "Z" || field == "X")) return std::nullopt;  // dead, not yet reaped
    if (i == 22) return std::stoull(field);
  }
  return std::nullopt;
}

std::optional<ProcessRecord> record_of(pid_t pid) {
  auto start = start_time_of(pid);
  if (!start) return std::nullopt;
  return ProcessRecord{pid, *start};
}

bool still_running(const ProcessRecord& record) {
  if (record.pid <= 0) return false;
  auto start = start_time_of(record.pid);
  return start && *start == record.start_time;
}

std::vector<pid_t> pids_in_netns(const std::vector<std::string>& netns_paths) {
  std::set<std::pair<dev_t, ino_t>> wanted;
  for (const auto& path : netns_paths) {
    struct stat st {};
    if (::stat(path.c_str(), &st) == 0) wanted.insert({st.st_dev, st.st_ino});
  }
  std::vector<pid_t> out;
  if (wanted.empty()) return out;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator("/proc", ec)) {
    std::string name = entry.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    struct stat st {};
    if (::stat(("/proc/" + name + "/ns/net").c_str(), &st) == 0 && wanted.count({st.st_dev, st.st_ino}))
      out.push_back(static_cast<pid_t>(std::stol(name)));
  }
  return out;
}

bool listening_in(const std::string& tcp_table, const std::string& address, int port) {
  in_addr parsed{};
  if (inet_pton(AF_INET, address.c_str(), &parsed) != 1) return false;
  // /proc/net/tcp prints the address as the hex of its in-memory (network order) word.
  std::string wanted = fmt::format("{:08X}:{:04X}", parsed.s_addr, port);
  std::string any = fmt::format("00000000:{:04X}", port);
  std::istringstream in(tcp_table);
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::string slot, local, remote, state;
    if (!(fields >> slot >> local >> remote >> state)) continue;
    if (state == "0A" && (local == wanted || local == any)) return true;  // 0A: LISTEN
  }
  return false;
}

bool listening(pid_t pid, const std::string& address, int port) {
  auto table = sys::read_file(fmt::format("/proc/{}/net/tcp", pid));
  return table && listening_in(*table, address, port);
}

}  // namespace beowulf::sim
