#include "sim/neighbour_table.h"

#include <fmt/core.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include "sys/atomic_file.h"

namespace beowulf::sim {

namespace {

namespace fs = std::filesystem;

constexpr const char* kSoft = "/proc/sys/net/ipv4/neigh/default/gc_thresh2";
constexpr const char* kHard = "/proc/sys/net/ipv4/neigh/default/gc_thresh3";

// "512 1024": the soft limit, then the hard one (a saved file holds both, /proc one each).
Result<std::vector<long>> read_numbers(const std::string& path) {
  auto text = sys::read_file(path);
  if (!text) return text.error();
  std::istringstream in(*text);
  std::vector<long> numbers;
  for (long n; in >> n;) numbers.push_back(n);
  if (numbers.empty()) return Error{fmt::format("{}: not a number: '{}'", path, *text)};
  return numbers;
}

Result<NeighbourLimits> kernel_limits() {
  auto soft = read_numbers(kSoft);
  if (!soft) return soft.error();
  auto hard = read_numbers(kHard);
  if (!hard) return hard.error();
  return NeighbourLimits{.soft = soft->front(), .hard = hard->front()};
}

Result<NeighbourLimits> saved_limits(const std::string& path) {
  auto numbers = read_numbers(path);
  if (!numbers) return numbers.error();
  if (numbers->size() != 2) return Error{fmt::format("{}: expected 'SOFT HARD'", path)};
  return NeighbourLimits{.soft = (*numbers)[0], .hard = (*numbers)[1]};
}

// /proc/sys files take a plain write (no temporary file and rename).
Status set_kernel_limit(const char* path, long value) {
  std::ofstream out(path);
  out << value << "\n";
  out.flush();
  if (!out) return Error{fmt::format("sim: set {} to {}: {}", path, value, std::strerror(errno))};
  return {};
}

// Hard first when raising, soft first when lowering: soft never exceeds hard.
Status set_kernel_limits(const NeighbourLimits& now, const NeighbourLimits& wanted) {
  bool raising = wanted.hard >= now.hard;
  if (auto set = set_kernel_limit(raising ? kHard : kSoft, raising ? wanted.hard : wanted.soft); !set) return set;
  return set_kernel_limit(raising ? kSoft : kHard, raising ? wanted.soft : wanted.hard);
}

long boards_up() {
  long boards = 0;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator("/run/netns", ec))
    if (entry.path().filename().string().starts_with("bwsim-")) ++boards;
  return boards;
}

}  // namespace

NeighbourLimits neighbour_limits_for(long boards, const NeighbourLimits& machine) {
  long needed = boards * boards;
  if (needed <= machine.hard / 2) return machine;
  return {.soft = machine.soft + needed, .hard = machine.hard + needed};
}

Status fit_neighbour_table(const std::string& saved) {
  auto now = kernel_limits();
  if (!now) return now.error();
  bool raised = fs::exists(saved);
  auto machine = raised ? saved_limits(saved) : now;
  if (!machine) return machine.error();
  auto wanted = neighbour_limits_for(boards_up(), *machine);
  std::error_code ec;
  if (!raised && wanted != *machine && !fs::create_directories(fs::path(saved).parent_path(), ec) && ec)
    return Error{fmt::format("sim: mkdir {}: {}", fs::path(saved).parent_path().string(), ec.message())};
  if (!raised && wanted != *machine)
    if (auto kept = sys::write_file_atomically(saved, fmt::format("{} {}\n", machine->soft, machine->hard)); !kept) return kept;
  if (wanted != *now)
    if (auto set = set_kernel_limits(*now, wanted); !set) return set;
  if (raised && wanted == *machine) fs::remove(saved, ec);
  return {};
}

}  // namespace beowulf::sim
