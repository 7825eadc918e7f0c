#include "cluster/time_script.h"

#include <fmt/core.h>

#include <cmath>
#include <cstdlib>
#include <sstream>

#include "cluster/remote_script.h"

namespace beowulf::cluster {
namespace {

/// on_sim: true on a board of the virtual cluster: its /run names the sim's holder, a
/// shell whose $0 (one of its arguments, not the first) is beowulf-sim-holder.
constexpr const char* kOnSimFunction =
    "on_sim() { p=$(cat /run/holder.pid 2>/dev/null) && [ -n \"$p\" ] && "
    "tr '\\0' '\\n' < /proc/$p/cmdline 2>/dev/null | grep -qx beowulf-sim-holder; }\n";

/// Writes the configuration when it differs, keeping the first file that was not ours.
constexpr const char* kWriteConfig = R"sh(wrote=
if [ "$(cat "$conf" 2>/dev/null)" != "$new" ]; then
  mkdir -p /etc/chrony
  if [ -f "$conf" ] && [ ! -f "$conf.beowulf-orig" ] && ! grep -q "^# Written by 'beowulf time up'" "$conf"; then
    cp -p "$conf" "$conf.beowulf-orig"
  fi
  printf '%s\n' "$new" > "$conf.beowulf-new"
  chmod 644 "$conf.beowulf-new"
  mv -f "$conf.beowulf-new" "$conf"
  wrote=1
  echo "change wrote $conf"
fi
)sh";

/// The sim: chronyd -x, found by its pid file in the node's own /run (every board's
/// processes share this machine's process list, so pgrep would see the others' too).
constexpr const char* kStartOnSim = R"sh(pid=$(cat /run/chrony/chronyd.pid 2>/dev/null || true)
running() { [ -n "$pid" ] && case " $(tr '\0' ' ' < /proc/$pid/cmdline 2>/dev/null)" in " chronyd -x "*) true;; *) false;; esac; }
if [ -n "$wrote" ] || ! running; then
  if running; then
    kill "$pid"
    i=0; while running && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
  fi
  u=root; id -u _chrony >/dev/null 2>&1 && u=_chrony
  chronyd -x -u "$u" -f "$conf"
  echo "change started chronyd -x"
fi
echo "sim yes"
)sh";

constexpr const char* kStartWithSystemd = R"sh(if ! command -v systemctl >/dev/null 2>&1; then
  echo "this board does not run systemd: start chronyd by hand ('chronyd -f $conf')" >&2; exit 5
fi
if [ -n "$wrote" ] || ! systemctl is-active --quiet chrony; then
  systemctl restart chrony
  echo "change restarted chrony.service"
fi
if ! systemctl is-enabled --quiet chrony 2>/dev/null; then
  systemctl enable --quiet chrony
  echo "change enabled chrony.service"
fi
)sh";

std::string without_final_newline(std::string text) {
  while (!text.empty() && text.back() == '\n') text.pop_back();
  return text;
}

std::vector<std::string> csv_fields(const std::string& line) {
  std::vector<std::string> out;
  std::istringstream in(line);
  for (std::string field; std::getline(in, field, ',');) out.push_back(field);
  return out;
}

}  // namespace

std::string time_up_script(const ChronyPlan& plan) {
  std::string script = "set -e\numask 022\n";
  script += kOnSimFunction;
  script += "conf=/etc/chrony/chrony.conf\n";
  script += fmt::format("if on_sim; then sim=1; new={}; else sim=; new={}; fi\n",
                        literal(without_final_newline(chrony_config(plan, true))),
                        literal(without_final_newline(chrony_config(plan, false))));
  script +=
      "if ! command -v chronyd >/dev/null 2>&1; then\n"
      "  if [ -n \"$sim\" ]; then\n"
      "    echo \"chronyd is not installed on the machine that hosts the virtual cluster\" >&2; exit 3\n"
      "  fi\n"
      "  export DEBIAN_FRONTEND=noninteractive\n"
      "  # stale package lists (a fresh image): update them once and try again\n"
      "  if ! out=$(apt-get install -y -q chrony 2>&1) && ! out=$(apt-get update -q 2>&1 && apt-get install -y -q chrony 2>&1); then\n"
      "    printf '%s\\n' \"$out\" | tail -n 3 >&2; echo \"apt-get install chrony failed\" >&2; exit 4\n"
      "  fi\n"
      "  echo \"change installed chrony\"\n"
      "fi\n";
  script += kWriteConfig;
  script += fmt::format("if [ -n \"$sim\" ]; then\n{}else\n{}fi\n", kStartOnSim, kStartWithSystemd);
  return script;
}

std::string time_status_script() {
  return std::string(kOnSimFunction) +
         "on_sim && echo 'sim yes'\n"
         "command -v chronyc >/dev/null 2>&1 || { echo 'state not-installed'; exit 0; }\n"
         "if ! t=$(chronyc -n -c tracking 2>&1); then echo 'state not-running'; printf 'why %s\\n' \"$t\"; exit 0; fi\n"
         "printf 'tracking %s\\n' \"$t\"\n"
         "chronyc -n -c sources 2>/dev/null | sed 's/^/source /'\n"
         "exit 0\n";
}

TimeUpResult parse_time_up(const std::string& output) {
  TimeUpResult result;
  std::istringstream in(output);
  for (std::string line; std::getline(in, line);) {
    if (line.starts_with("change ")) result.changes.push_back(line.substr(7));
    if (line == "sim yes") result.sim = true;
  }
  return result;
}

Result<TimeStatus> parse_time_status(const std::string& output) {
  TimeStatus status{.state = "", .source = "-"};
  std::vector<std::string> tracking;
  std::vector<std::vector<std::string>> sources;
  std::istringstream in(output);
  for (std::string line; std::getline(in, line);) {
    if (line == "sim yes") status.sim = true;
    else if (line == "state not-installed") status.state = "chrony not installed";
    else if (line == "state not-running") status.state = "chronyd not running";
    else if (line.starts_with("tracking ")) tracking = csv_fields(line.substr(9));
    else if (line.starts_with("source ")) sources.push_back(csv_fields(line.substr(7)));
  }
  if (!status.state.empty()) return status;
  if (tracking.size() < 3) return Error{"chronyc answered in a way beowulf does not know: " + output};
  if (tracking[0] == "7F7F0101") {  // chronyd's reference id for `local stratum`
    status.state = "serving its own clock";
    status.source = "local clock, stratum " + tracking[2];
    return status;
  }
  for (const auto& s : sources) {
    if (s.size() < 8 || s[1] != "*") continue;
    status.state = "synchronised";
    status.source = s[2];
    status.has_offset = true;
    status.offset = std::strtod(s[7].c_str(), nullptr);
    return status;
  }
  status.state = "not synchronised";
  if (!sources.empty() && sources.front().size() > 2) status.source = sources.front()[2];
  return status;
}

std::string offset_text(double seconds) {
  double magnitude = std::fabs(seconds);
  const char* sign = seconds < 0 ? "-" : "+";
  if (magnitude < 1e-3) return fmt::format("{}{:.0f} µs", sign, magnitude * 1e6);
  if (magnitude < 1) return fmt::format("{}{:.1f} ms", sign, magnitude * 1e3);
  return fmt::format("{}{:.2f} s", sign, magnitude);
}

}  // namespace beowulf::cluster
