#include "cluster/doctor_probe.h"

#include <fmt/core.h>

#include <charconv>
#include <cstdlib>
#include <sstream>

#include "cluster/node_facts.h"
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

// Every connection at once from one process (not a process each: 65 nodes each try 16),
// non-blocking, then waits for each to finish or for the timeout (whole seconds: perl-base
// has no Time::HiRes).
constexpr const char* kConnect = R"SH(perl -MIO::Socket::INET -MIO::Select -MSocket -MErrno -e '
my ($port, $timeout, @hosts) = @ARGV;
my $pending = IO::Select->new; my %host;
for my $h (@hosts) {
  my $s = IO::Socket::INET->new(PeerAddr => $h, PeerPort => $port, Proto => "tcp", Blocking => 0)
    or do { print "$h fail $!\n"; next };
  $host{$s} = $h; $pending->add($s);
}
my $end = time + $timeout;
while ($pending->count and (my $left = $end - time) > 0) {
  for my $s ($pending->can_write($left)) {
    $! = $s->sockopt(SO_ERROR);
    print $! ? "$host{$s} fail $!\n" : "$host{$s} ok\n";
    $pending->remove($s); close $s;
  }
}
for my $s ($pending->handles) { $! = Errno::ETIMEDOUT(); print "$host{$s} fail $!\n" }')SH";

constexpr const char* kKex =
    "curve25519-sha256,curve25519-sha256@libssh.org,ecdh-sha2-nistp256,diffie-hellman-group14-sha256";

// Frames `KEY LENGTH\nVALUE\n` with the shell's own printf: no process per fact. Each
// node's probe runs at once with every other on the same few cores of the master's
// network, so processes are what the probe costs (a base64 pipe per fact was 3 processes
// each, 60 of the 100 a node ran). LC_ALL=C: ${#2} counts bytes in bash as it does in dash.
constexpr const char* kFraming = R"SH(LC_ALL=C; export LC_ALL
e() { printf '%s %d\n%s\n' "$1" "${#2}" "$2"; }
)SH";

constexpr const char* kFacts = R"SH(e hostname "$(uname -n)"
e user "$(id -un)"
e uid "$(id -u)"
e machine_id "$(cat /etc/machine-id 2>/dev/null)"
e host_keys "$(cat /etc/ssh/ssh_host_*_key.pub 2>/dev/null)"
e user_keys "$(cat ~/.ssh/id_*.pub 2>/dev/null)"
e authorized_keys "$(cat ~/.ssh/authorized_keys 2>/dev/null)"
e modes "$(stat -c '%a %u %n' ~ ~/.ssh ~/.ssh/authorized_keys 2>/dev/null)"
e tcp_wrappers "$(grep -Hn -v '^[[:space:]]*\(#\|$\)' /etc/hosts.allow /etc/hosts.deny 2>/dev/null)"
e cloud_hosts "$(command -v cloud-init >/dev/null && [ ! -e /etc/cloud/cloud-init.disabled ] && grep -HnsE "^[[:space:]]*manage_etc_hosts:|configured 'manage_etc_hosts' as True" /etc/hosts /etc/cloud/cloud.cfg /etc/cloud/cloud.cfg.d/*.cfg /boot/firmware/user-data /boot/user-data /var/lib/cloud/instance/user-data.txt)"
e mpiexec_path "$(command -v mpiexec)"
e mpiexec_version "$(mpiexec --version 2>&1 | head -20)"
e mpicc_path "$(command -v mpicc)"
e mpicc_show "$(mpicc -show 2>/dev/null || mpicc --showme 2>/dev/null)"
e interfaces "$(ip -o -4 addr show 2>/dev/null | awk '$2 != "lo" {print $2, $4}')"
e free_kb "$(df -Pk ~ | awk 'NR==2 {print $4}')"
)SH";

// Every name in one process (the probe's lines grow with the cluster; its processes must
// not): the IPv4 address the resolver gives, as MPI's hosts will look it up.
// Without Socket.pm, which would cost 4 times perl's start.
constexpr const char* kResolve =
    R"SH(perl -e 'for (@ARGV) { my @h = gethostbyname $_; print "$_ ", (@h ? join(".", unpack("C4", $h[4])) : ""), "\n" }')SH";

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
  else if (key == "cloud_hosts") p.cloud_hosts = lines_of(value);
  else if (key == "resolved") p.resolved = parse_resolved(value);
  else if (key == "mpiexec_path") p.mpiexec_path = trimmed();
  else if (key == "mpiexec_version") p.mpiexec_version = trimmed();
  else if (key == "mpicc_path") p.mpicc_path = trimmed();
  else if (key == "mpicc_show") p.mpicc_show = trimmed();
  else if (key == "interfaces") p.interfaces = lines_of(value);
  else if (key == "free_kb" && !trimmed().empty()) p.free_kb = std::atoll(value.c_str());
  else if (key == "program") p.program_sum = trimmed();
  else if (key == "listener") p.listener = trimmed();
  else if (key.starts_with("ssh:")) p.ssh[key.substr(4)] = parse_attempt(value);
}

}  // namespace

std::string probe_script(const ProbePlan& plan) {
  std::string s;
  if (plan.port > 0) {
    std::string listener = kListener;  // perl's braces: no fmt here
    listener.replace(listener.find("PORT SECONDS COUNT"), 18,
                     fmt::format("{} {} {}", plan.port, kListenSeconds, plan.expected_connections));
    s += "e listener \"$(" + listener + ")\"\n";
  }
  s += kFacts;
  s += fmt::format("e resolved \"$({} {})\"\n", kResolve, join_words(plan.names));
  if (!plan.program.empty())
    s += fmt::format("e program \"$(sha256sum {} 2>/dev/null | cut -d' ' -f1)\"\n", remote::shell_quote(plan.program));
  s += login_script(plan.ssh_targets);
  return framed(s);
}

std::string login_script(const std::vector<SshProbeTarget>& targets) {
  if (targets.empty()) return {};
  // Every login at once, each on a fresh connection in BatchMode: what mpiexec's ssh meets.
  // The key exchange is the cheap classic one (sntrup761 costs 2-4 times the CPU here);
  // it has no bearing on whether key login is accepted, which is what is checked. No
  // UpdateHostKeys: doctor changes no known_hosts unless asked to fix. Each login writes
  // its own frame to a file: one `cat` prints them all.
  std::string s = "d=$(mktemp -d)\n";
  for (std::size_t i = 0; i < targets.size(); ++i)
    s += fmt::format(
        "( err=$(ssh -n -o BatchMode=yes -o KexAlgorithms={2} -o ConnectTimeout=3 -o ConnectionAttempts=1 -o ControlMaster=no "
        "-o ControlPath=none -o StrictHostKeyChecking=yes -o UpdateHostKeys=no {1} true 2>&1 >/dev/null); e {3} \"$?\n$err\" >\"$d/{0}\" ) &\n",
        i, remote::shell_quote(targets[i].destination), kKex, remote::shell_quote("ssh:" + targets[i].label));
  return s + "wait\ncat \"$d\"/*\nrm -rf \"$d\"\n";
}

std::string framed(const std::string& script) { return std::string(kFraming) + script; }

Result<NodeProbe> parse_probe(std::string_view output) {
  NodeProbe probe;
  while (!output.empty()) {
    auto newline = output.find('\n');
    std::string_view header = output.substr(0, newline);
    auto space = header.find(' ');
    std::uint64_t length = 0;  // not size_t: a length past a 32-bit size_t must still read as a number
    const char* digits = space == std::string_view::npos ? header.end() : header.data() + space + 1;
    auto [end, ec] = std::from_chars(digits, header.end(), length);
    if (newline == std::string_view::npos || space == 0 || ec != std::errc{} || end != header.end())
      return Error{.what = fmt::format("probe: a line is not 'KEY LENGTH': '{}'", header.substr(0, 80))};
    std::string key(header.substr(0, space));
    output.remove_prefix(newline + 1);
    if (length >= output.size() || output[length] != '\n')  // length + 1 would wrap round at SIZE_MAX
      return Error{.what = fmt::format("probe: the value of '{}' is cut short ({} bytes announced)", key, length)};
    store(probe, key, std::string(output.substr(0, static_cast<std::size_t>(length))));
    output.remove_prefix(static_cast<std::size_t>(length) + 1);
  }
  return probe;
}

std::string connect_script(const std::vector<std::string>& addresses, int port, std::chrono::seconds timeout) {
  return fmt::format("echo \"clock $(date +%s.%N)\"\n{} {} {} {}\n", kConnect, port, timeout.count(),
                     join_words(addresses));
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
