#include "slurm/node_scripts.h"

#include <fmt/core.h>

#include <charconv>
#include <map>
#include <sstream>

#include "cluster/remote_script.h"
#include "cluster/users_script.h"
#include "core/base64.h"

namespace beowulf::slurm {
namespace {

std::string path_of(Layout layout, std::string_view key) {
  for (const auto& [k, path] : daemon_paths(layout))
    if (k == key) return path;
  return {};
}

std::string dir_of(const std::string& path) { return path.substr(0, path.rfind('/')); }

/// Shell functions the root scripts share: how to tell whether a daemon runs, start it
/// and stop it on this node (see node_scripts.h). Daemon arguments: NAME PIDFILE COMMAND.
constexpr const char* kDaemonFunctions = R"sh(if [ -p /run/beowulf-sim/start ]; then mode=sim
elif [ -d /run/systemd/system ]; then mode=systemd
else mode=service; fi
alive() { [ -s "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }
running() {
  case $mode in
    systemd) systemctl is-active -q "$1" ;;
    *) alive "$2" ;;
  esac
}
start() {
  case $mode in
    systemd) systemctl enable -q "$1" 2>/dev/null || true; systemctl start "$1" ;;
    service) service "$1" start >/dev/null ;;
    sim) rm -f "$2"; echo "$3" > /run/beowulf-sim/start
      i=0; until alive "$2"; do
        i=$((i+1)); [ $i -le 100 ] || { echo "$1 did not start within 10 s" >&2; return 1; }; sleep 0.1
      done ;;
  esac
}
stop() {
  case $mode in
    systemd) systemctl stop "$1"; systemctl disable -q "$1" 2>/dev/null || true ;;
    service) service "$1" stop >/dev/null ;;
    sim) p=$(cat "$2"); kill "$p" 2>/dev/null || true
      i=0; while kill -0 "$p" 2>/dev/null; do
        i=$((i+1)); [ $i -le 100 ] || { kill -9 "$p" 2>/dev/null || true; break; }; sleep 0.1
      done; rm -f "$2" ;;
  esac
}
)sh";

/// The daemons of a node, in the order they start: NAME PIDFILE COMMAND (for the sim).
struct Daemon {
  std::string name, pid_file, command;
};

std::vector<Daemon> daemons(Layout layout, bool controller, bool compute) {
  std::vector<Daemon> list = {
      {"munge", "/run/munge/munged.pid",
       "exec setpriv --reuid munge --regid munge --init-groups /usr/sbin/munged -F --pid-file=/run/munge/munged.pid "
       "--log-file=/run/munge/munged.log --seed-file=/run/munge/munged.seed"}};
  if (controller) list.push_back({"slurmctld", path_of(layout, "SlurmctldPidFile"), "exec /usr/sbin/slurmctld -D"});
  if (compute) list.push_back({"slurmd", path_of(layout, "SlurmdPidFile"), "exec /usr/sbin/slurmd -D"});
  return list;
}

std::string quoted_args(const Daemon& d) { return fmt::format("{} {} '{}'", d.name, d.pid_file, d.command); }

/// Makes the daemons' folders: munged's under /run, Slurm's state, spool and logs.
std::string folders(Layout layout) {
  std::string state = path_of(layout, "StateSaveLocation"), spool = path_of(layout, "SlurmdSpoolDir");
  std::string log = dir_of(path_of(layout, "SlurmdLogFile"));
  return fmt::format(
      "mkdir -p /run/munge {0} {1} {2}\n"
      "chown munge:munge /run/munge\n"
      "chown slurm:slurm {0} {2}\n",
      state, spool, log);
}

std::vector<std::string> words(std::string_view text) {
  std::vector<std::string> list;
  std::istringstream in{std::string(text)};
  for (std::string w; in >> w;) list.push_back(w);
  return list;
}

}  // namespace

std::vector<std::string> packages(bool controller) {
  if (controller) return {"munge", "slurm-client", "slurmd", "slurmctld"};
  return {"munge", "slurm-client", "slurmd"};
}

std::string probe_script(const std::vector<std::string>& users, bool controller) {
  std::string list;
  for (const auto& p : packages(controller)) list += " " + p;
  return fmt::format(
      "echo \"hardware $(/usr/sbin/slurmd -C 2>/dev/null | head -n 1)\"\n"
      "echo \"cores $(nproc)\"\n"
      "if [ -d /run/systemd/system ]; then echo 'systemd yes'; else echo 'systemd no'; fi\n"
      "if [ -p /run/beowulf-sim/start ]; then echo 'virtual yes'; else echo 'virtual no'; fi\n"
      "if mountpoint -q /sys/fs/cgroup; then echo 'cgroup yes'; else echo 'cgroup no'; fi\n"
      "ok=\" $(dpkg-query -W -f='${{Package}} ${{Status}}\\n'{0} 2>/dev/null | awk '/ ok installed$/ {{printf \"%s \", $1}}')\"\n"
      "printf missing; for p in{0}; do case \"$ok\" in *\" $p \"*) ;; *) printf ' %s' $p ;; esac; done; echo\n"
      "echo \"clock $(date +%s.%N)\"\n"
      "echo accounts\n"
      "{1}",
      list, cluster::accounts_script(users));
}

Result<Probe> parse_probe(std::string_view text, const std::string& node) {
  std::map<std::string, std::string> lines;
  std::istringstream in{std::string(text)};
  std::string accounts;
  bool in_accounts = false;
  for (std::string line; std::getline(in, line);) {
    if (in_accounts) {
      accounts += line + "\n";
      continue;
    }
    auto space = line.find(' ');
    lines[line.substr(0, space)] = space == std::string::npos ? "" : line.substr(space + 1);
    in_accounts = line == "accounts";
  }
  for (const char* key : {"hardware", "cores", "systemd", "virtual", "cgroup", "missing", "clock", "accounts"})
    if (!lines.count(key)) return Error{fmt::format("probe: no '{}' line in its output", key), node};
  Probe p;
  auto read = cluster::parse_node_accounts(accounts);
  if (!read) return Error{"probe: " + read.error().what, node};
  p.accounts = *read;
  p.hardware = lines["hardware"];
  auto& cores = lines["cores"];
  std::from_chars(cores.data(), cores.data() + cores.size(), p.cores);
  p.systemd = lines["systemd"] == "yes";
  p.virtual_node = lines["virtual"] == "yes";
  p.cgroup = lines["cgroup"] == "yes";
  p.missing = words(lines["missing"]);
  for (const char* user : {"munge", "slurm"})
    if (!p.accounts.users.count(user)) p.no_users.push_back(user);
  try {
    p.clock = std::stod(lines["clock"]);
  } catch (const std::exception&) {
    return Error{fmt::format("probe: the clock reads '{}', not seconds", lines["clock"]), node};
  }
  if (p.cores < 1) return Error{fmt::format("probe: nproc says '{}'", cores), node};
  return p;
}

std::string install_script(const std::vector<std::string>& packages) {
  std::string list;
  for (const auto& p : packages) list += " " + p;
  return cluster::sudo_n_script(fmt::format(
      "export DEBIAN_FRONTEND=noninteractive\n"
      "apt-get install -y -q --no-install-recommends{} >/dev/null || "
      "{{ apt-get update -q >/dev/null && apt-get install -y -q --no-install-recommends{} >/dev/null; }}\n",
      list, list));
}

std::string apply_script(const NodeSetup& setup) {
  std::string script = "set -e\numask 022\nread -r key || true\n";
  script += kDaemonFunctions;
  script +=
      "for u in munge slurm; do id -u $u >/dev/null 2>&1 || "
      "{ echo \"no user $u: install the munge and slurmd packages\" >&2; exit 1; }; done\n"
      "# put FILE BASE64 MODE OWNER: writes FILE when its bytes differ (true when it wrote); a new\n"
      "# file is made 0600 and given MODE and OWNER before it takes FILE's place. The same bytes\n"
      "# cost two processes (and a third to read the mode), not eight: one per node adds up.\n"
      "put() {\n"
      "  if printf %s \"$2\" | base64 -d | cmp -s - \"$1\"; then\n"
      "    [ \"$(stat -c '%a %U:%G' \"$1\")\" = \"$3 $4\" ] || { chmod \"$3\" \"$1\"; chown \"$4\" \"$1\"; }; return 1\n"
      "  fi\n"
      "  (umask 077; printf %s \"$2\" | base64 -d > \"$1.beowulf-new\"); chmod \"$3\" \"$1.beowulf-new\"; chown \"$4\" \"$1.beowulf-new\"\n"
      "  mv -f \"$1.beowulf-new\" \"$1\"\n"
      "}\n"
      "mkdir -p /etc/munge /etc/slurm\n"
      "chown munge:munge /etc/munge; chmod 700 /etc/munge\n"
      "key_changed=; conf_changed=\n";
  if (setup.controller)
    script +=
        "if [ ! -s /etc/munge/munge.key ]; then\n"
        "  (umask 077; dd if=/dev/urandom of=/etc/munge/munge.key bs=1024 count=1 2>/dev/null)\n"
        "  chown munge:munge /etc/munge/munge.key; chmod 400 /etc/munge/munge.key\n"
        "  echo 'made munge.key'; key_changed=1\n"
        "fi\n"
        "echo \"key $(base64 -w0 < /etc/munge/munge.key)\"\n";
  else
    script +=
        "[ -n \"$key\" ] || { echo 'no munge key on stdin' >&2; exit 1; }\n"
        "if put /etc/munge/munge.key \"$key\" 400 munge:munge; then echo 'wrote munge.key'; key_changed=1; fi\n";
  script += fmt::format(
      "if put /etc/slurm/slurm.conf '{}' 644 root:root; then echo 'wrote slurm.conf'; conf_changed=1; fi\n"
      "if put /etc/slurm/cgroup.conf '{}' 644 root:root; then echo 'wrote cgroup.conf'; conf_changed=1; fi\n",
      base64_encode(setup.slurm_conf), base64_encode(setup.cgroup_conf));
  script += folders(setup.layout);
  script +=
      "# ensure NAME PIDFILE COMMAND CHANGED: started when it is not running, restarted when CHANGED\n"
      "ensure() {\n"
      "  if running \"$1\" \"$2\"; then\n"
      "    [ -n \"$4\" ] || return 0\n"
      "    stop \"$1\" \"$2\"; start \"$1\" \"$2\" \"$3\"; echo \"restarted $1\"\n"
      "  else start \"$1\" \"$2\" \"$3\"; echo \"started $1\"; fi\n"
      "}\n";
  for (const auto& d : daemons(setup.layout, setup.controller, setup.compute)) {
    // A Slurm daemon restarts with a new key too: one that lost contact under another key registers again.
    std::string changed = d.name == "munge" ? "$key_changed" : "$key_changed$conf_changed";
    script += fmt::format("ensure {} \"{}\"\n", quoted_args(d), changed);
    if (d.name == "munge")
      script += "i=0; until munge -n </dev/null >/dev/null 2>&1; do i=$((i+1)); [ $i -le 50 ] || "
                "{ echo 'munged does not answer: munge -n failed' >&2; exit 1; }; sleep 0.1; done\n";
  }
  return cluster::sudo_n_script(script);
}

std::string down_script(Layout layout, bool purge) {
  std::string script = "umask 022\n";
  script += kDaemonFunctions;
  auto list = daemons(layout, true, true);
  for (auto d = list.rbegin(); d != list.rend(); ++d)
    script += fmt::format("if running {0}; then stop {0}; echo 'stopped {1}'; fi\n", quoted_args(*d), d->name);
  if (purge)
    script += fmt::format(
        "rm -f /etc/munge/munge.key /etc/slurm/slurm.conf /etc/slurm/cgroup.conf\n"
        "rm -rf {} {}\n"
        "echo 'removed munge.key, slurm.conf, cgroup.conf'\n",
        path_of(layout, "StateSaveLocation"), path_of(layout, "SlurmdSpoolDir"));
  return cluster::sudo_n_script(script);
}

}  // namespace beowulf::slurm
