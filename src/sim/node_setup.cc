#include "sim/node_setup.h"

#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <thread>

#include <fmt/core.h>

#include "sys/atomic_file.h"
#include "sim/node_files.h"
#include "sim/proc.h"
#include "sys/process.h"

namespace beowulf::sim {
namespace {

/// A new /etc/machine-id: 32 hex digits, as a freshly flashed card makes at first boot.
std::string fresh_machine_id() {
  auto uuid = sys::run({.argv = {"cat", "/proc/sys/kernel/random/uuid"}});
  std::string id;
  if (uuid.ok())
    for (char c : uuid->out)
      if (std::isxdigit(static_cast<unsigned char>(c))) id += c;
  return id + "\n";
}

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
constexpr auto kStartDeadline = std::chrono::seconds(10);
constexpr auto kPollInterval = std::chrono::milliseconds(5);

/// The holder: makes the node's mounts and hostname, says it is ready by writing its
/// pid to the node's /run/holder.pid, then serves as the node's init until `sim down`
/// ends it: it starts each command root writes as a line into the node's
/// /run/beowulf-sim/start (a FIFO only root may write) and reaps it when it ends, which
/// this machine's init would not do for a daemon left in a node; it is a child subreaper,
/// so what such a daemon leaves behind (slurmd's slurmstepd) is its to reap too. With "cgroups" as its
/// third argument it gives the node a /sys/fs/cgroup (slurmd wants one): a tmpfs with
/// the cgroup v1 hierarchies cpuset, memory, freezer and devices. Paths are
/// relative to the node directory ($1) so that they still resolve once /run or /tmp
/// (which may contain it) is covered. Its output goes to holder.log beside them.
/// Every further argument is a host folder that stays visible at its own path in the
/// node even when it lies in a folder the node has its own copy of (a root user's
/// checkout in /root, a CI clone in /tmp): it is bound into the node's copy first, and
/// the copies are bound recursively so that it comes along. The board user must be able
/// to walk to it, so the node's copy of that folder gets o+x.
constexpr const char* kHolderScript = R"(exec </dev/null >>"$1/holder.log" 2>&1
set -e
cd "$1"
host_name="$2"
cgroups="$3"
shift 3
for share in "$@"; do
  [ -d "$share" ] || continue  # an installed beowulf: the tree it was built in is gone
  for d in etc home root tmp run; do
    case "$share" in "/$d"/*)
      mkdir -p "$d${share#/$d}"
      chmod o+x "$d"
      mount --bind "$share" "$d${share#/$d}";;
    esac
  done
done
mount --rbind etc /etc
mount --rbind home /home
mount --rbind root /root
mount --rbind tmp /tmp
mount --rbind run /run
hostname "$host_name"
# What it starts runs in /, as init's and systemd's daemons do: the node folder's host path
# does not resolve in the node once /run is covered (slurmstepd, started from slurmd,
# could not return to it: "Unable to return to working directory" in every job's output).
cd /
if [ "$cgroups" = cgroups ]; then
  mount -t tmpfs -o mode=0755 cgroup /sys/fs/cgroup
  for c in cpuset memory freezer devices; do
    mkdir -p /sys/fs/cgroup/$c
    mount -t cgroup -o $c cgroup /sys/fs/cgroup/$c
  done
fi
mkdir -p -m 0755 /run/beowulf-sim
rm -f /run/beowulf-sim/start
mkfifo -m 0600 /run/beowulf-sim/start
exec 3<>/run/beowulf-sim/start
echo $$ >/run/holder.pid
# bash reaps each command it started when it ends, also while it waits in read.
while :; do
  if read -r command <&3; then setsid sh -c "$command" </dev/null >/dev/null 2>&1 & fi
done)";

/// The beowulf checkout and build these binaries come from, so that `beowulf`,
/// `beowulf-cpi` and the tests' programs are at the same path on every node.
std::vector<std::string> shared_folders() {
  std::vector<std::string> folders = {BEOWULF_SOURCE_DIR};
  std::string build = BEOWULF_BINARY_DIR;
  if (build.rfind(std::string(BEOWULF_SOURCE_DIR) + "/", 0) != 0) folders.push_back(build);
  return folders;
}

Error node_error(const NodePlan& node, const std::string& what) { return Error{what, node.who()}; }

Status make_dir(const std::string& path, mode_t mode) {
  if (::mkdir(path.c_str(), mode) != 0 && errno != EEXIST)
    return Error{fmt::format("mkdir {}: {}", path, std::strerror(errno))};
  if (::chmod(path.c_str(), mode) != 0) return Error{fmt::format("chmod {}: {}", path, std::strerror(errno))};
  return {};
}

/// Waits until `ready` returns true or the start deadline passes.
template <typename Ready>
bool wait_until(Ready ready) {
  auto deadline = Clock::now() + kStartDeadline;
  while (!ready()) {
    if (Clock::now() > deadline) return false;
    std::this_thread::sleep_for(kPollInterval);
  }
  return true;
}

/// The last lines of a log, for an error message.
std::string tail_of(const std::string& path) {
  auto text = sys::read_file(path);
  if (!text || text->empty()) return "(no output)";
  std::string t = *text;
  while (!t.empty() && t.back() == '\n') t.pop_back();
  auto cut = t.size() > 400 ? t.rfind('\n', t.size() - 400) : std::string::npos;
  return cut == std::string::npos ? t : t.substr(cut + 1);
}

/// Starts `argv` in a session of its own as a child subreaper, without waiting for it.
/// The flag survives execve (not fork), so the holder that `argv` becomes adopts what a
/// daemon in its node leaves behind (slurmd's slurmstepd) and reaps it: this machine's
/// init would not.
Status spawn_subreaper(const std::vector<std::string>& argv) {
  std::string program = sys::find_on_path(argv[0]);
  if (program.empty()) return Error{argv[0] + ": command not found"};
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = ::fork();
  if (pid < 0) return Error{fmt::format("fork: {}", std::strerror(errno))};
  if (pid == 0) {  // only async-signal-safe calls until exec
    ::setsid();
    ::prctl(PR_SET_CHILD_SUBREAPER, 1);
    int null = ::open("/dev/null", O_RDWR);
    if (null >= 0) {
      ::dup2(null, 0);
      ::dup2(null, 1);
      ::dup2(null, 2);
    }
    ::execv(program.c_str(), args.data());
    ::_exit(127);
  }
  return {};
}

Status new_host_keys(const std::string& etc, const Profile& profile) {
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(etc + "/ssh", ec))
    if (entry.path().filename().string().rfind("ssh_host_", 0) == 0) fs::remove(entry.path(), ec);
  for (const char* type : {"ed25519", "ecdsa"}) {
    auto made = run_step(fmt::format("make {} host key", type),
                         {"ssh-keygen", "-q", "-t", type, "-N", "", "-C", "root@" + profile.hostname, "-f",
                          fmt::format("{}/ssh/ssh_host_{}_key", etc, type)});
    if (!made) return made;
  }
  return {};
}

Status write_accounts(const std::string& etc, const Profile& profile, const std::string& password_hash) {
  AccountFiles files;
  for (auto [name, text] : {std::pair{"passwd", &files.passwd}, {"shadow", &files.shadow},
                            {"group", &files.group}, {"gshadow", &files.gshadow}}) {
    auto read = sys::read_file(etc + "/" + name);
    if (read) *text = *read;  // a missing gshadow is fine
    else if (std::string(name) == "passwd") return read.error();
  }
  files = with_board_user(std::move(files), profile, password_hash);
  for (auto [name, text, mode] : {std::tuple{"passwd", &files.passwd, 0644u}, {"group", &files.group, 0644u},
                                  {"shadow", &files.shadow, 0640u}, {"gshadow", &files.gshadow, 0640u}}) {
    std::string path = etc + "/" + name;
    struct stat before {};
    bool existed = ::stat(path.c_str(), &before) == 0;
    if (auto w = sys::write_file_atomically(path, *text, mode); !w) return w;
    if (existed && ::chown(path.c_str(), before.st_uid, before.st_gid) != 0)
      return Error{fmt::format("chown {}: {}", path, std::strerror(errno))};
  }
  return {};
}

Status make_home(const NodePlan& node, const Profile& profile) {
  auto passwd = sys::read_file(node.dir + "/etc/passwd");
  if (!passwd) return passwd.error();
  auto user = find_user(*passwd, profile.user);
  if (!user) return Error{fmt::format("add user {}: not in the node's /etc/passwd", profile.user)};
  std::string home = node.dir + "/home/" + profile.user;
  if (auto made = make_dir(home, 0755); !made) return made;
  for (const std::string& target : {home, node.dir + "/root"})
    if (auto copied = run_step("copy /etc/skel", {"cp", "-a", node.dir + "/etc/skel/.", target}); !copied)
      return copied;
  return run_step("own the home directory",
                  {"chown", "-R", fmt::format("{}:{}", user->uid, user->gid), home});
}

}  // namespace

Status run_step(const std::string& step, const std::vector<std::string>& argv, const std::string& input) {
  auto result = sys::run({.argv = argv, .input = input, .timeout = std::chrono::seconds(30)});
  if (!result) return Error{fmt::format("{}: {}", step, result.error().what)};
  if (result->ok()) return {};
  std::string detail = result->err.empty() ? result->out : result->err;
  while (!detail.empty() && detail.back() == '\n') detail.pop_back();
  if (result->timed_out) detail = "timed out after 30 s";
  if (detail.empty()) detail = fmt::format("{} exited with status {}", argv[0], result->exit_code);
  return Error{fmt::format("{}: {}", step, detail)};
}

Status configure_network(const NodePlan& node) {
  std::string batch = fmt::format(
      "addr add {}/{} dev eth0\n"
      "link set eth0 up\n"
      "link set lo up\n",
      node.address, node.prefix);
  auto done = run_step("configure the network", {"ip", "-n", node.netns, "-batch", "-"}, batch);
  if (!done) return node_error(node, done.error().what);
  return {};
}

Status prepare_files(const NodePlan& node, const Profile& profile, const std::string& password_hash) {
  std::string etc = node.dir + "/etc";
  auto steps = [&]() -> Status {
    for (auto [dir, mode] : {std::pair{"", 0755u}, {"/home", 0755u}, {"/root", 0700u}, {"/run", 0755u},
                             {"/run/sshd", 0755u}, {"/tmp", 01777u}})
      if (auto made = make_dir(node.dir + dir, mode); !made) return made;
    if (auto copied = run_step("copy /etc", {"cp", "-a", "/etc", etc}); !copied) return copied;
    if (auto keys = new_host_keys(etc, profile); !keys) return keys;
    if (auto w = sys::write_file_atomically(etc + "/machine-id", fresh_machine_id(), 0444); !w) return w;
    if (auto w = sys::write_file_atomically(etc + "/hostname", profile.hostname + "\n"); !w) return w;
    if (auto w = sys::write_file_atomically(etc + "/hosts", hosts_file(profile)); !w) return w;
    if (auto w = sys::write_file_atomically(etc + "/ssh/sshd_config", sshd_config(node.address)); !w) return w;
    if (auto w = make_dir(etc + "/sudoers.d", 0755); !w) return w;
    if (auto w = sys::write_file_atomically(etc + "/sudoers.d/beowulf-sim-board", sudoers_rule(), 0440); !w) return w;
    if (node.label == "master")
      if (auto w = sys::write_file_atomically(etc + "/sudoers.d/beowulf-sim-master", master_sudoers_rule(profile.user), 0440); !w)
        return w;
    if (auto w = write_accounts(etc, profile, password_hash); !w) return w;
    return make_home(node, profile);
  };
  auto done = steps();
  if (!done) return node_error(node, "prepare the node's files: " + done.error().what);
  return {};
}

Result<ProcessRecord> start_holder(const NodePlan& node, const Profile& profile, bool cgroups) {
  std::string pid_file = node.dir + "/run/holder.pid";
  ::unlink(pid_file.c_str());
  // The holder outlives this command, in its own session, a subreaper (see spawn_subreaper).
  std::vector<std::string> argv = {"ip", "netns", "exec", node.netns, "unshare", "--uts",
                                  "--mount", "--propagation", "private", "bash", "-c", kHolderScript,
                                  "beowulf-sim-holder", node.dir, profile.hostname,
                                  cgroups ? "cgroups" : "-"};
  for (const auto& folder : shared_folders()) argv.push_back(folder);
  if (!node.cpus.empty()) argv.insert(argv.begin(), {"taskset", "-c", node.cpus});
  auto started = spawn_subreaper(argv);
  if (!started) return node_error(node, "start the node's namespaces: " + started.error().what);
  std::optional<ProcessRecord> record;
  bool ready = wait_until([&] {
    auto text = sys::read_file(pid_file);
    if (!text || text->empty() || text->back() != '\n') return false;
    record = record_of(static_cast<pid_t>(std::stol(*text)));
    return record.has_value();
  });
  if (!ready)
    return node_error(node, fmt::format("start the node's namespaces: not ready after 10 s: {}",
                                        tail_of(node.dir + "/holder.log")));
  return *record;
}

Result<ProcessRecord> start_sshd(const NodePlan& node, pid_t holder) {
  std::string pid_file = node.dir + "/run/sshd.pid";
  ::unlink(pid_file.c_str());
  // sshd daemonizes itself (its output to /dev/null, its log to the node's /run/sshd.log)
  // and writes its pid file once it listens.
  auto started = run_step("start sshd", nsenter_argv(holder, {"/usr/sbin/sshd", "-f", "/etc/ssh/sshd_config", "-E",
                                                              "/run/sshd.log"}));
  if (!started) return node_error(node, started.error().what);
  std::optional<ProcessRecord> record;
  bool ready = wait_until([&] {
    if (!listening(holder, node.address, 22)) return false;
    auto text = sys::read_file(pid_file);
    if (!text || text->empty() || text->back() != '\n') return false;
    record = record_of(static_cast<pid_t>(std::stol(*text)));
    return record.has_value();
  });
  if (!ready)
    return node_error(node, fmt::format("start sshd: not listening on {}:22 after 10 s: {}", node.address,
                                        tail_of(node.dir + "/run/sshd.log")));
  return *record;
}

/// The holder's CPU affinity as a taskset list ("0-1"), empty when it cannot be read.
std::string cpus_of(pid_t pid) {
  auto status = sys::read_file(fmt::format("/proc/{}/status", pid));
  if (!status) return "";
  auto at = status->find("Cpus_allowed_list:");
  if (at == std::string::npos) return "";
  auto begin = status->find_first_not_of(" \t", at + 18), end = status->find('\n', at);
  return status->substr(begin, end - begin);
}

std::vector<std::string> nsenter_argv(pid_t holder, const std::vector<std::string>& command,
                                      const std::vector<std::string>& options) {
  std::vector<std::string> argv = {"nsenter", "-t", std::to_string(holder), "-n", "-u", "-m"};
  argv.insert(argv.end(), options.begin(), options.end());
  argv.push_back("--");
  // nsenter keeps the caller's CPU affinity: give the command the node's own cores.
  if (auto cpus = cpus_of(holder); !cpus.empty()) argv.insert(argv.begin(), {"taskset", "-c", cpus});
  argv.insert(argv.end(), command.begin(), command.end());
  return argv;
}

std::string board_cpus(int index, int cores, const std::vector<int>& host_cpus) {
  std::string list;
  int count = static_cast<int>(host_cpus.size());
  for (int c = 0; c < std::min(cores, count); ++c) {
    if (!list.empty()) list += ",";
    list += std::to_string(host_cpus[static_cast<std::size_t>((index * cores + c) % count)]);
  }
  return list;
}

}  // namespace beowulf::sim
