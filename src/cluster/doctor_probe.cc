#include "cluster/doctor_probe.h"

#include <fmt/core.h>

#include <cstdlib>
#include <sstream>

#include "cluster/node_facts.h"
#include "core/base64.h"
#include "remote/ssh.h"

namespace beowulf::cluster {

namespace {

// Binds first (so `ports` never races the listener), says so, then serves in a child
// that closes its output (the probe's ssh channel ends) and exits after the connections
// it expects, or its lifetime. ReusePort: a listener left by a run that failed does not
// keep the next run's from binding.
constexpr const char* kListener = R"SH(perl -MIO::Socket::INET -e '
my $s = IO::Socket::INET->new(LocalPort => $ARGV[0], Listen => 64, ReuseAddr => 1, ReusePort => 1, Proto => "tcp")
  or do { print "cannot listen: $!"; exit 0 };
print "listening";
exit 0 if fork;
close STDIN; close STDOUT; close STDERR;
$SIG{ALRM} = sub { exit 0 }; alarm $ARGV[1];
my $left = $ARGV[2];
while ($left-- > 0 and my $c = $s->accept) { close $c }' PORT SECONDS COUNT </dev/null 2>&1)SH";

constexpr const char* kKex =
    "curve25519-sha256,curve25519-sha256@libssh.org,ecdh-sha2-nistp256,diffie-hellman-group14-sha256";

constexpr const char* kFacts = R"SH(e hostname "$(uname -n)"
e user "$(id -un)"
e uid "$(id -u)"
e machine_id "$(cat /etc/machine-id 2>/dev/null)"
e host_keys "$(cat /etc/ssh/ssh_host_*_key.pub 2>/dev/null)"
e user_keys "$(cat ~/.ssh/id_*.pub 2>/dev/null)"
e authorized_keys "$(cat ~/.ssh/authorized_keys 2>/dev/null)"
e modes "$(for p in ~ ~/.ssh ~/.ssh/authorized_keys; do stat -c '%a %u %n' "$p" 2>/dev/null || echo "- - $p"; done)"
e tcp_wrappers "$(grep -Hn -v '^[[:space:]]*\(#\|$\)' /etc/hosts.allow /etc/hosts.deny 2>/dev/null)"
e mpiexec_path "$(command -v mpiexec)"
e mpiexec_version "$(mpiexec --version 2>&1 | head -20)"
e mpicc_path "$(command -v mpicc)"
e mpicc_show "$(mpicc -show 2>/dev/null || mpicc --showme 2>/dev/null)"
e interfaces "$(ip -o -4 addr show 2>/dev/null | awk '$2 != "lo" {print $2, $4}')"
e free_kb "$(df -Pk ~ | awk 'NR==2 {print $4}')"
)SH";

std::string join_words(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& w : words) out += (out.empty() ? "" : " ") + remote::shell_quote(w);
  return out;
}

std::vector<std::string> lines_of(std::string_view text) {
  std::vector<std::string> lines;
  std::istringstream in{std::string(text)};
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) lines.push_back(line);
  return lines;
}

std::vector<PathMode> parse_modes(std::string_view text) {
  std::vector<PathMode> modes;
  for (const auto& line : lines_of(text)) {
    std::istringstream in(line);
    std::string mode, uid, path;
    in >> mode >> uid;
    std::getline(in >> std::ws, path);
    PathMode m{.path = path};
    if (mode != "-") {
      m.exists = true;
      m.mode = static_cast<int>(std::strtol(mode.c_str(), nullptr, 8));
      m.uid = std::atoi(uid.c_str());
    }
    modes.push_back(m);
  }
  return modes;
}

std::map<std::string, std::string> parse_resolved(std::string_view text) {
  std::map<std::string, std::string> resolved;
  for (const auto& line : lines_of(text)) {
    auto space = line.find(' ');
    resolved[line.substr(0, space)] = space == std::string::npos ? "" : line.substr(space + 1);
  }
  return resolved;
}

SshAttempt parse_attempt(std::string_view text) {
  auto newline = text.find('\n');
  std::string code(text.substr(0, newline));
  SshAttempt a{.exit_code = code.empty() ? -1 : std::atoi(code.c_str())};
  if (newline != std::string_view::npos) a.err = std::string(text.substr(newline + 1));
  return a;
}

void store(NodeProbe& p, const std::string& key, std::string value) {
  auto trimmed = [&] {
    while (!value.empty() && (value.back() == '\n' || value.back() == ' ')) value.pop_back();
    return value;
  };
  if (key == "hostname") p.hostname = trimmed();
  else if (key == "user") p.user = trimmed();
  else if (key == "uid") p.uid = value.empty() ? -1 : std::atoi(value.c_str());
  else if (key == "machine_id") p.machine_id = trimmed();
  else if (key == "host_keys") p.host_keys = key_lines(value);
  else if (key == "user_keys") p.user_keys = key_lines(value);
  else if (key == "authorized_keys") p.authorized_keys = key_lines(value);
  else if (key == "modes") p.modes = parse_modes(value);
  else if (key == "tcp_wrappers") p.tcp_wrappers = lines_of(value);
  else if (key == "resolved") p.resolved = parse_resolved(value);
  else if (key == "mpiexec_path") p.mpiexec_path = trimmed();
  else if (key == "mpiexec_version") p.mpiexec_version = trimmed();
  else if (key == "mpicc_path") p.mpicc_path = trimmed();
  else if (key == "mpicc_show") p.mpicc_show = trimmed();
  else if (key == "interfaces") p.interfaces = lines_of(value);
  else if (key == "clock" && !trimmed().empty()) p.clock = std::strtod(value.c_str(), nullptr);
  else if (key == "free_kb" && !trimmed().empty()) p.free_kb = std::atoll(value.c_str());
  else if (key == "program") p.program_sum = trimmed();
  else if (key == "listener") p.listener = trimmed();
  else if (key.starts_with("ssh:")) p.ssh[key.substr(4)] = parse_attempt(value);
}

}  // namespace

std::string probe_script(const ProbePlan& plan) {
  std::string s = "e() { printf '%s %s\\n' \"$1\" \"$(printf '%s' \"$2\" | base64 | tr -d '\\n')\"; }\n";
  if (plan.port > 0) {
    std::string listener = kListener;  // perl's braces: no fmt here
    listener.replace(listener.find("PORT SECONDS COUNT"), 18,
                     fmt::format("{} {} {}", plan.port, kListenSeconds, plan.expected_connections));
    s += "e listener \"$(" + listener + ")\"\n";
  }
  s += kFacts;
  s += fmt::format("e resolved \"$(for n in {}; do printf '%s %s\\n' \"$n\" \"$(getent hosts \"$n\" | awk '{{print $1; exit}}')\"; done)\"\n",
                   join_words(plan.names));
  if (!plan.program.empty())
    s += fmt::format("e program \"$(sha256sum {} 2>/dev/null | cut -d' ' -f1)\"\n", remote::shell_quote(plan.program));
  if (!plan.ssh_targets.empty()) {
    // Every login at once, each on a fresh connection in BatchMode: what mpiexec's ssh meets.
    // The key exchange is the cheap classic one (sntrup761 costs 2-4 times the CPU here);
    // it has no bearing on whether key login is accepted, which is what is checked.
    s += "d=$(mktemp -d)\n";
    for (std::size_t i = 0; i < plan.ssh_targets.size(); ++i)
      s += fmt::format(
          "( ssh -n -o BatchMode=yes -o KexAlgorithms={2} -o ConnectTimeout=3 -o ConnectionAttempts=1 -o ControlMaster=no -o ControlPath=none "
          "-o StrictHostKeyChecking=yes {1} true 2>\"$d/{0}.err\"; echo $? >\"$d/{0}.rc\" ) &\n",
          i, remote::shell_quote(plan.ssh_targets[i].destination), kKex);
    s += "wait\n";
    for (std::size_t i = 0; i < plan.ssh_targets.size(); ++i)
      s += fmt::format("e {} \"$(cat \"$d/{}.rc\"; cat \"$d/{}.err\")\"\n",
                       remote::shell_quote("ssh:" + plan.ssh_targets[i].label), i, i);
    s += "rm -rf \"$d\"\n";
  }
  s += "e clock \"$(date +%s.%N)\"\n";
  return s;
}

std::optional<std::pair<std::string, std::string>> parse_probe_line(std::string_view line) {
  auto space = line.find(' ');
  std::string key(line.substr(0, space));
  std::string_view encoded = space == std::string_view::npos ? std::string_view{} : line.substr(space + 1);
  if (key.empty()) return std::nullopt;
  auto value = base64_decode(encoded);
  if (!value) return std::nullopt;
  return std::pair{key, *value};
}

Result<NodeProbe> parse_probe(std::string_view output) {
  NodeProbe probe;
  for (const auto& line : lines_of(output)) {
    auto kv = parse_probe_line(line);
    if (!kv) return Error{.what = fmt::format("probe: a line is not KEY BASE64: '{}'", line.substr(0, 80))};
    store(probe, kv->first, kv->second);
  }
  return probe;
}

std::string connect_script(const std::vector<std::string>& addresses, int port, std::chrono::seconds timeout) {
  return fmt::format(
      "perl -MIO::Socket::INET -e '\n"
      "my ($port, $timeout, @hosts) = @ARGV; my %kid;\n"
      "for my $h (@hosts) {{ my $pid = fork; if (!$pid) {{\n"
      "  my $s = IO::Socket::INET->new(PeerAddr => $h, PeerPort => $port, Proto => \"tcp\", Timeout => $timeout);\n"
      "  print $s ? \"$h ok\\n\" : \"$h fail \" . ($! || \"timed out\") . \"\\n\"; exit 0 }} }}\n"
      "1 while wait > 0' {} {} {}\n",
      port, timeout.count(), join_words(addresses));
}

std::map<std::string, std::string> parse_connect_output(std::string_view output) {
  std::map<std::string, std::string> result;
  for (const auto& line : lines_of(output)) {
    std::istringstream in(line);
    std::string address, status, reason;
    in >> address >> status;
    std::getline(in >> std::ws, reason);
    if (status == "ok") result[address] = "";
    else if (status == "fail") result[address] = reason.empty() ? "failed" : reason;
  }
  return result;
}

std::vector<std::string> key_lines(std::string_view text) {
  std::vector<std::string> keys;
  for (const auto& line : lines_of(text))
    if (auto key = public_key_of(line); !key.empty()) keys.push_back(key);
  return keys;
}

}  // namespace beowulf::cluster
