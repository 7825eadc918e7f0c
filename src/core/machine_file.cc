#include "core/machine_file.h"

#include <fmt/core.h>
#include <fmt/format.h>

#include <charconv>
#include <variant>

#include "core/address.h"
#include "core/suggest.h"

namespace beowulf {
namespace {

constexpr std::string_view kSpace = " \t\r";

std::string_view trim(std::string_view text) {
  std::size_t first = text.find_first_not_of(kSpace);
  if (first == std::string_view::npos) return {};
  return text.substr(first, text.find_last_not_of(kSpace) - first + 1);
}

/// The words of `text`, split on spaces and tabs.
std::vector<std::string_view> words(std::string_view text) {
  std::vector<std::string_view> result;
  for (std::size_t pos = 0; (pos = text.find_first_not_of(kSpace, pos)) != std::string_view::npos;) {
    std::size_t end = text.find_first_of(kSpace, pos);
    result.push_back(text.substr(pos, end - pos));
    pos = end;
  }
  return result;
}

/// Why `host` cannot be a machine file host, or empty when it can.
std::string host_problem(std::string_view host) {
  bool looks_like_address = host.find_first_not_of("0123456789.") == std::string_view::npos;
  if (looks_like_address) {
    auto address = parse_node_address(host);
    return address ? std::string() : address.error().what;
  }
  if (!is_dns_name(host)) return fmt::format("'{}' is neither an IPv4 address nor a host name", host);
  return {};
}

/// The slot count in `digits`, or the reason it is not one.
std::variant<int, std::string> slot_count(std::string_view digits, std::string_view what) {
  int value = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (digits.empty() || ec != std::errc() || end != digits.data() + digits.size() || value < 1 || value > kMaxSlots)
    return fmt::format("{} '{}' is not a number from 1 to {}", what, digits, kMaxSlots);
  return value;
}

/// Parses one MPICH line (no comment, trimmed, not empty): "host" or "host:slots".
std::variant<MachineEntry, std::string> parse_mpich_line(std::string_view line) {
  constexpr const char* kForm = "expected 'host' or 'host:slots'";
  if (words(line).size() > 1) {
    if (line.find('=') != std::string_view::npos)
      return fmt::format("'{}': {} (this is Open MPI's form; MPICH's is 'host:slots')", line, kForm);
    return fmt::format("'{}': {}", line, kForm);
  }
  MachineEntry entry;
  std::size_t colon = line.find(':');
  entry.host = line.substr(0, colon);
  if (colon != std::string_view::npos) {
    auto slots = slot_count(line.substr(colon + 1), "slot count");
    if (auto* reason = std::get_if<std::string>(&slots)) return fmt::format("'{}': {}", line, *reason);
    entry.slots = std::get<int>(slots);
  }
  if (auto problem = host_problem(entry.host); !problem.empty()) return problem;
  return entry;
}

/// Parses one Open MPI line: "host [slots=N] [max_slots=M]".
std::variant<MachineEntry, std::string> parse_openmpi_line(std::string_view line) {
  auto parts = words(line);
  MachineEntry entry;
  entry.host = parts[0];
  if (entry.host.find(':') != std::string::npos)
    return fmt::format("'{}': expected 'host slots=N' (this is MPICH's form; Open MPI's is 'host slots=N')", line);
  for (std::size_t i = 1; i < parts.size(); ++i) {
    std::size_t eq = parts[i].find('=');
    std::string key(parts[i].substr(0, eq));
    if (eq == std::string_view::npos || (key != "slots" && key != "max_slots")) {
      auto guess = closest(key, {"slots", "max_slots"});
      return fmt::format("'{}': '{}' is not 'slots=N' or 'max_slots=N'{}", line, parts[i],
                         guess ? fmt::format(" (did you mean '{}'?)", *guess) : "");
    }
    auto count = slot_count(parts[i].substr(eq + 1), key);
    if (auto* reason = std::get_if<std::string>(&count)) return fmt::format("'{}': {}", line, *reason);
    (key == "slots" ? entry.slots : entry.max_slots) = std::get<int>(count);
  }
  if (entry.max_slots && entry.slots > entry.max_slots)
    return fmt::format("'{}': slots {} is more than max_slots {}", line, entry.slots, entry.max_slots);
  if (auto problem = host_problem(entry.host); !problem.empty()) return problem;
  return entry;
}

}  // namespace

std::string_view format_name(MachineFileFormat format) {
  return format == MachineFileFormat::mpich ? "mpich" : "openmpi";
}

std::vector<MachineEntry> machine_entries(const Inventory& inventory, HostBy by) {
  std::vector<const Node*> order;
  if (const Node* master = inventory.master()) order.push_back(master);
  for (const Node* worker : inventory.workers()) order.push_back(worker);
  std::vector<MachineEntry> entries;
  for (const Node* node : order)
    entries.push_back(MachineEntry{by == HostBy::address ? node->address.str() : node->name, node->slots, 0});
  return entries;
}

std::string write_machine_file(const std::vector<MachineEntry>& entries, MachineFileFormat format) {
  std::string text = fmt::format("# {} machine file written by beowulf: 'beowulf machinefile --format {}' prints it.\n",
                                 format == MachineFileFormat::mpich ? "MPICH" : "Open MPI", format_name(format));
  for (const MachineEntry& entry : entries) {
    text += entry.host;
    if (format == MachineFileFormat::mpich) {
      if (entry.slots) text += fmt::format(":{}", entry.slots);
    } else {
      if (entry.slots) text += fmt::format(" slots={}", entry.slots);
      if (entry.max_slots) text += fmt::format(" max_slots={}", entry.max_slots);
    }
    text += '\n';
  }
  return text;
}

Result<std::vector<MachineEntry>> parse_machine_file(std::string_view text, MachineFileFormat format,
                                                     std::string_view file) {
  std::vector<MachineEntry> entries;
  std::vector<std::string> problems;
  int number = 0;
  for (std::size_t start = 0; start < text.size();) {
    std::size_t end = std::min(text.find('\n', start), text.size());
    std::string_view line = text.substr(start, end - start);
    start = end + 1;
    ++number;
    line = trim(line.substr(0, line.find('#')));
    if (line.empty()) continue;
    auto parsed = format == MachineFileFormat::mpich ? parse_mpich_line(line) : parse_openmpi_line(line);
    if (auto* entry = std::get_if<MachineEntry>(&parsed))
      entries.push_back(std::move(*entry));
    else
      problems.push_back(fmt::format("{}:{}: {}", file, number, std::get<std::string>(parsed)));
  }
  if (problems.empty()) return entries;
  return bad_input(fmt::format("{}", fmt::join(problems, "\n")),
                   format == MachineFileFormat::mpich ? "each line is 'host' or 'host:slots'; '#' starts a comment"
                                                      : "each line is 'host slots=N'; '#' starts a comment");
}

}  // namespace beowulf
