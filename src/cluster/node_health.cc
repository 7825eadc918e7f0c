#include "cluster/node_health.h"

#include <fmt/core.h>

#include <algorithm>
#include <charconv>
#include <map>
#include <vector>

namespace beowulf::cluster {
namespace {

// Builtins read the small files (no process per file); only nproc, df and the MPI
// program are started. A glob that matches nothing stays literal and its `read` fails
// quietly: stderr is redirected before the file is opened.
constexpr std::string_view kProbe = R"probe(export LC_ALL=C
read up _ < /proc/uptime && echo "uptime $up"
read l1 _ < /proc/loadavg && echo "load $l1"
echo "cores $(nproc 2>/dev/null || getconf _NPROCESSORS_ONLN)"
while read k v _; do
  case $k in MemTotal:|MemFree:|MemAvailable:|Buffers:|Cached:) echo "mem $k $v";; esac
done < /proc/meminfo
df -Pk / 2>/dev/null | { read _; read _ total _ avail _ && echo "disk $total $avail"; }
for f in /sys/class/thermal/thermal_zone*/temp; do
  read t 2>/dev/null < "$f" && echo "thermal $t"
done
for d in /sys/bus/iio/devices/iio:device*; do
  read r 2>/dev/null < "$d/in_temp0_raw" || continue
  read o 2>/dev/null < "$d/in_temp0_offset" || o=0
  read s 2>/dev/null < "$d/in_temp0_scale" || s=1
  echo "xadc $r $o $s"
done
for p in mpiexec mpichversion ompi_info; do
  command -v $p >/dev/null 2>&1 || continue
  echo "mpi $p"
  case $p in mpichversion) $p;; *) $p --version;; esac 2>&1
  exit 0
done
echo "mpi -"
)probe";

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

std::vector<std::string_view> words(std::string_view line) {
  std::vector<std::string_view> out;
  while (true) {
    line = trim(line);
    if (line.empty()) return out;
    std::size_t end = line.find_first_of(" \t");
    out.push_back(line.substr(0, end));
    if (end == std::string_view::npos) return out;
    line.remove_prefix(end);
  }
}

template <typename T>
std::optional<T> number(std::string_view text) {
  T value{};
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  return value;
}

/// The word after `key` on the first line that has `key` as its first words, e.g.
/// "Version:" in "    Version:   4.0.2".
std::optional<std::string_view> value_after(std::string_view text, std::string_view key) {
  for (std::size_t at = text.find(key); at != std::string_view::npos; at = text.find(key, at + 1)) {
    auto rest = words(text.substr(at + key.size(), text.find('\n', at) - at - key.size()));
    if (!rest.empty()) return rest.front();
  }
  return std::nullopt;
}

/// The facts as read, before they are checked and combined.
struct Facts {
  std::map<std::string_view, std::vector<std::string_view>> line;  // key -> its words
  std::map<std::string_view, double> memory_kib;
  std::vector<double> temperatures;
  std::optional<std::string> mpi;
};

Status read_fact(Facts& facts, const std::vector<std::string_view>& w, std::size_t line_number,
                 std::string_view line) {
  auto bad = [&] { return Error{fmt::format("status probe: line {}: '{}': not a number", line_number, trim(line))}; };
  if (w[0] == "mem" && w.size() == 3) {
    auto kib = number<double>(w[2]);
    if (!kib) return bad();
    facts.memory_kib[w[1]] = *kib;
  } else if (w[0] == "thermal" && w.size() == 2) {
    auto milli = number<double>(w[1]);
    if (!milli) return bad();
    facts.temperatures.push_back(*milli / 1000.0);
  } else if (w[0] == "xadc" && w.size() == 4) {
    auto raw = number<double>(w[1]), offset = number<double>(w[2]), scale = number<double>(w[3]);
    if (!raw || !offset || !scale) return bad();
    facts.temperatures.push_back((*raw + *offset) * *scale / 1000.0);
  } else {
    facts.line[w[0]] = w;
  }
  return {};
}

Result<Facts> read_facts(std::string_view output) {
  static const std::vector<std::string_view> known = {"uptime", "load", "cores", "mem", "disk", "thermal", "xadc"};
  Facts facts;
  std::size_t line_number = 0;
  while (!output.empty()) {
    std::size_t end = output.find('\n');
    std::string_view line = output.substr(0, end);
    output = end == std::string_view::npos ? std::string_view{} : output.substr(end + 1);
    ++line_number;
    auto w = words(line);
    if (w.empty()) continue;
    if (w[0] == "mpi" && w.size() == 2) {
      facts.mpi = w[1] == "-" ? std::string{} : mpi_version(output);
      break;
    }
    if (std::find(known.begin(), known.end(), w[0]) == known.end()) continue;
    if (Status s = read_fact(facts, w, line_number, line); !s.ok()) return s.error();
  }
  return facts;
}

Error missing(std::string_view key) {
  return Error{fmt::format("status probe: no '{}' line in the node's answer", key)};
}

/// The number in word `index` of the `key` line.
template <typename T>
Result<T> fact(const Facts& facts, std::string_view key, std::size_t index = 1) {
  auto it = facts.line.find(key);
  if (it == facts.line.end() || it->second.size() <= index) return missing(key);
  auto value = number<T>(it->second[index]);
  if (!value) return Error{fmt::format("status probe: '{}': '{}' is not a number", key, it->second[index])};
  return *value;
}

/// Used memory in KiB: total less MemAvailable, or less free + buffers + cache on
/// kernels older than 3.14 (which have no MemAvailable).
std::uint64_t memory_used_kib(const Facts& facts, double total) {
  const auto& m = facts.memory_kib;
  double available = 0;
  if (auto it = m.find("MemAvailable:"); it != m.end()) available = it->second;
  else
    for (std::string_view key : {"MemFree:", "Buffers:", "Cached:"})
      if (auto part = m.find(key); part != m.end()) available += part->second;
  return static_cast<std::uint64_t>(std::max(0.0, total - available));
}

}  // namespace

HealthAlerts alerts(const NodeHealth& health) {
  HealthAlerts a;
  a.temperature = health.temperature_c && *health.temperature_c > kHotCelsius;
  a.load = health.load1 > health.cores;
  a.disk = health.disk_total > 0 &&
           static_cast<double>(health.disk_free) < kLowDiskFraction * static_cast<double>(health.disk_total);
  return a;
}

std::string probe_script() { return std::string(kProbe); }

Result<NodeHealth> parse_node_health(std::string_view output) {
  auto facts = read_facts(output);
  if (!facts.ok()) return facts.error();
  NodeHealth h;
  auto uptime = fact<double>(*facts, "uptime");
  if (!uptime.ok()) return uptime.error();
  auto load = fact<double>(*facts, "load");
  if (!load.ok()) return load.error();
  auto cores = fact<int>(*facts, "cores");
  if (!cores.ok()) return cores.error();
  auto disk_total = fact<std::uint64_t>(*facts, "disk", 1);
  if (!disk_total.ok()) return disk_total.error();
  auto disk_free = fact<std::uint64_t>(*facts, "disk", 2);
  if (!disk_free.ok()) return disk_free.error();
  auto total = facts->memory_kib.find("MemTotal:");
  if (total == facts->memory_kib.end()) return missing("mem MemTotal:");
  if (!facts->mpi) return missing("mpi");
  h.uptime_seconds = *uptime;
  h.load1 = *load;
  h.cores = std::max(1, *cores);
  h.memory_total = static_cast<std::uint64_t>(total->second) * 1024;
  h.memory_used = memory_used_kib(*facts, total->second) * 1024;
  h.disk_total = *disk_total * 1024;
  h.disk_free = *disk_free * 1024;
  if (!facts->temperatures.empty())
    h.temperature_c = *std::max_element(facts->temperatures.begin(), facts->temperatures.end());
  h.mpi = *facts->mpi;
  return h;
}

std::string mpi_version(std::string_view out) {
  if (out.find("HYDRA build details") != std::string_view::npos)
    if (auto v = value_after(out, "Version:")) return fmt::format("MPICH {}", *v);
  if (auto v = value_after(out, "MPICH Version:")) return fmt::format("MPICH {}", *v);
  for (std::string_view key : {"(OpenRTE)", "(Open MPI)"})
    if (auto v = value_after(out, key)) return fmt::format("Open MPI {}", *v);
  if (auto v = value_after(out, "Open MPI v")) return fmt::format("Open MPI {}", *v);
  for (auto rest = out; !rest.empty();) {
    std::string_view line = trim(rest.substr(0, rest.find('\n')));
    if (!line.empty()) return std::string(line);
    std::size_t end = rest.find('\n');
    rest = end == std::string_view::npos ? std::string_view{} : rest.substr(end + 1);
  }
  return {};
}

}  // namespace beowulf::cluster
