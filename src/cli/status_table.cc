#include "cli/status_table.h"

#include <fmt/core.h>

#include <algorithm>
#include <array>
#include <nlohmann/json.hpp>

#include "core/printable.h"

namespace beowulf::cli {
namespace {

/// alert: a value past its limit ('!' or red); problem: why a node has no values (red).
enum class Mark { none, alert, problem };

struct Cell {
  std::string text;
  Mark mark = Mark::none;
};

constexpr std::array<std::string_view, 11> kHeader = {"NODE",  "ADDRESS", "ARCH",      "STATE", "UPTIME", "LOAD",
                                                      "CORES", "MEMORY",  "DISK FREE", "TEMP",  "MPI"};

/// The architecture `add` recorded: known without asking the node, so a down node has it too.
std::string arch_text(const cluster::NodeStatus& row) { return row.arch.empty() ? "-" : printable(row.arch); }

std::string state_of(const cluster::NodeStatus& row) {
  if (row.health) return "up";
  if (row.planned) return "planned";
  return row.down ? "down" : "failed";
}

std::string disk_text(const cluster::NodeHealth& h) {
  if (h.disk_total == 0) return "-";
  return fmt::format("{} ({}%)", human_bytes(h.disk_free), h.disk_free * 100 / h.disk_total);
}

Mark alert_if(bool past_limit) { return past_limit ? Mark::alert : Mark::none; }

std::vector<Cell> health_cells(const cluster::NodeStatus& row) {
  const cluster::NodeHealth& h = *row.health;
  cluster::HealthAlerts alert = cluster::alerts(h);
  return {{row.name},
          {row.address},
          {arch_text(row)},
          {"up"},
          {uptime_text(h.uptime_seconds)},
          {fmt::format("{:.2f}", h.load1), alert_if(alert.load)},
          {fmt::format("{}", h.cores)},
          {fmt::format("{}/{}", human_bytes(h.memory_used), human_bytes(h.memory_total))},
          {disk_text(h), alert_if(alert.disk)},
          {h.temperature_c ? fmt::format("{:.1f}C", *h.temperature_c) : "-", alert_if(alert.temperature)},
          {h.mpi.empty() ? "-" : h.mpi}};
}

/// A node without health: its name, address, architecture, then "down: why" across the other columns.
std::vector<Cell> problem_cells(const cluster::NodeStatus& row) {
  return {{row.name},
          {row.address},
          {arch_text(row)},
          {fmt::format("{}: {}", state_of(row), printable(row.problem)), Mark::problem}};
}

class Renderer {
 public:
  explicit Renderer(bool colour) : colour_(colour) {}

  /// The cell as it is measured: an alert ends in '!' when there is no colour.
  std::string plain(const Cell& c) const { return c.mark == Mark::alert && !colour_ ? c.text + "!" : c.text; }

  /// One line; every cell but the last padded to its column's width.
  std::string line(const std::vector<Cell>& cells, const std::vector<std::size_t>& widths) const {
    std::string out;
    for (std::size_t i = 0; i < cells.size(); ++i) {
      std::string text = plain(cells[i]);
      out += cells[i].mark != Mark::none && colour_ ? "\x1b[1;31m" + text + "\x1b[0m" : text;  // bold red, as cli/style.h
      if (i + 1 < cells.size()) out += std::string(widths[i] - text.size() + 2, ' ');
    }
    return out + "\n";
  }

 private:
  bool colour_;
};

std::string summary(const std::vector<cluster::NodeStatus>& rows) {
  std::size_t up = 0, down = 0, failed = 0, planned = 0;
  for (const auto& r : rows) {
    if (r.health) ++up;
    else if (r.planned) ++planned;
    else if (r.down) ++down;
    else ++failed;
  }
  std::string out = fmt::format("{} node{}: {} up", rows.size(), rows.size() == 1 ? "" : "s", up);
  if (down > 0) out += fmt::format(", {} down", down);
  if (failed > 0) out += fmt::format(", {} failed", failed);
  if (planned > 0) out += fmt::format(", {} planned", planned);
  return out + "\n";
}

}  // namespace

std::string status_table(const std::vector<cluster::NodeStatus>& rows, bool colour) {
  Renderer render(colour);
  std::vector<std::vector<Cell>> lines = {{}};
  for (auto h : kHeader) lines[0].push_back({std::string(h)});
  for (const auto& row : rows) lines.push_back(row.health ? health_cells(row) : problem_cells(row));

  std::vector<std::size_t> widths(kHeader.size(), 0);
  for (const auto& cells : lines) {
    bool spans = cells.size() < kHeader.size();  // a problem's text spans the columns after it
    for (std::size_t i = 0; i < cells.size(); ++i)
      if (!(spans && i + 1 == cells.size())) widths[i] = std::max(widths[i], render.plain(cells[i]).size());
  }
  std::string out;
  for (const auto& cells : lines) out += render.line(cells, widths);
  return out + summary(rows);
}

std::string status_json(const std::vector<cluster::NodeStatus>& rows) {
  std::string out;
  for (const auto& row : rows) {
    nlohmann::ordered_json j = {{"node", row.name},
                                {"address", row.address},
                                {"arch", row.arch.empty() ? nullptr : nlohmann::ordered_json(row.arch)},
                                {"state", state_of(row)}};
    if (!row.health) {
      j["error"] = row.problem;
    } else {
      const cluster::NodeHealth& h = *row.health;
      cluster::HealthAlerts alert = cluster::alerts(h);
      j["uptime_seconds"] = h.uptime_seconds;
      j["load1"] = h.load1;
      j["cores"] = h.cores;
      j["memory_used_bytes"] = h.memory_used;
      j["memory_total_bytes"] = h.memory_total;
      j["disk_free_bytes"] = h.disk_free;
      j["disk_total_bytes"] = h.disk_total;
      j["temperature_c"] = h.temperature_c ? nlohmann::ordered_json(*h.temperature_c) : nullptr;
      j["mpi"] = h.mpi.empty() ? nullptr : nlohmann::ordered_json(h.mpi);
      j["alerts"] = nlohmann::ordered_json::array();
      if (alert.load) j["alerts"].push_back("load");
      if (alert.disk) j["alerts"].push_back("disk");
      if (alert.temperature) j["alerts"].push_back("temperature");
    }
    out += j.dump() + "\n";
  }
  return out;
}

std::string drawn_in_place(std::string_view frame) {
  std::string out = "\x1b[H";
  for (std::size_t start = 0, end; start < frame.size(); start = end + 1) {
    end = frame.find('\n', start);
    if (end == std::string_view::npos) end = frame.size();
    out += fmt::format("{}\x1b[K\n", frame.substr(start, end - start));
  }
  return out + "\x1b[J";
}

std::string human_bytes(std::uint64_t bytes) {
  static constexpr std::array<std::string_view, 6> kUnits = {"", "K", "M", "G", "T", "P"};
  double value = static_cast<double>(bytes);
  std::size_t unit = 0;
  while (value >= 1024 && unit + 1 < kUnits.size()) {
    value /= 1024;
    ++unit;
  }
  if (unit == 0) return fmt::format("{}", bytes);
  return value < 10 ? fmt::format("{:.1f}{}", value, kUnits[unit]) : fmt::format("{:.0f}{}", value, kUnits[unit]);
}

std::string uptime_text(double seconds) {
  auto s = static_cast<long long>(seconds);
  if (s < 60) return fmt::format("{}s", s);
  if (s < 3600) return fmt::format("{}m", s / 60);
  if (s < 86400) return fmt::format("{}h {}m", s / 3600, s % 3600 / 60);
  return fmt::format("{}d {}h", s / 86400, s % 86400 / 3600);
}

}  // namespace beowulf::cli
