#include "sim/sim.h"

#include <crypt.h>
#include <sys/mount.h>
#include <cerrno>
#include <cstring>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <memory>
#include <mutex>
#include <regex>
#include <sstream>
#include <thread>

#include <fmt/core.h>

#include "sys/atomic_file.h"
#include "sim/neighbour_table.h"
#include "sim/node_files.h"
#include "sim/node_setup.h"
#include "sys/cpus.h"
#include "sim/proc.h"
#include "sim/profile.h"
#include "sim/subnet.h"

namespace beowulf::sim {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
constexpr int kParallelNodes = 6;  // node bring-ups in flight: most of the time is in child processes

std::string bridge_netns(const std::string& name) { return "bwsim-" + name; }
std::string node_netns(const std::string& name, const std::string& label) { return "bwsim-" + name + "-" + label; }
bool netns_exists(const std::string& ns) { return fs::exists("/run/netns/" + ns); }

std::vector<std::string> existing_netns_of(const std::string& name) {
  std::vector<std::string> out;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator("/run/netns", ec)) {
    std::string ns = entry.path().filename().string();
    if (ns == bridge_netns(name) || ns.rfind(bridge_netns(name) + "-", 0) == 0) out.push_back(ns);
  }
  return out;
}

Status check_name(const std::string& name) {
  static const std::regex valid("[a-z0-9][a-z0-9-]{0,15}");
  if (!std::regex_match(name, valid))
    return bad_input(fmt::format("--name {}: use 1 to 16 lower-case letters, digits and '-'", name),
                     "e.g. --name demo");
  return {};
}

/// The profile's password hashed as Debian 12 hashes it (yescrypt), once for every node:
/// boards flashed from one image share the hash too.
Result<std::string> hash_password(const std::string& password) {
  auto data = std::make_unique<crypt_data>();
  const char* salt = crypt_gensalt_rn("$y$", 0, nullptr, 0, data->setting, sizeof data->setting);
  const char* hashed = salt ? crypt_r(password.c_str(), salt, data.get()) : nullptr;
  if (hashed == nullptr || hashed[0] == '*') return Error{"hash the board's password: crypt failed"};
  return std::string(hashed);
}

/// The leftover check: a journal, or namespaces of the same name, mean a sim is (or was) here.
Status check_no_leftovers(const std::string& name, const std::string& dir) {
  std::string hint = fmt::format("run 'beowulf sim down{}' first", name == "default" ? "" : " --name " + name);
  if (fs::exists(dir + "/state"))
    return Error{fmt::format("sim up: a sim named '{}' is already up, or was left half-made ({})", name, dir + "/state"),
                 "", hint};
  auto left = existing_netns_of(name);
  if (!left.empty())
    return Error{fmt::format("sim up: network namespaces of a sim named '{}' are left over ({}) but it has no state in {}",
                             name, left.front(), dir),
                 "", fmt::format("remove them with 'ip netns del {}' (and the others like it)", left.front())};
  return {};
}

/// Runs `work(i)` for i in [0, count) on up to kParallelNodes threads; the first error wins.
Status in_parallel(int count, const std::function<Status(int)>& work) {
  std::atomic<int> next{0};
  std::mutex mutex;
  std::optional<Error> first;
  auto worker = [&] {
    for (int i = next++; i < count; i = next++) {
      {
        std::lock_guard lock(mutex);
        if (first) return;
      }
      auto done = work(i);
      if (!done) {
        std::lock_guard lock(mutex);
        if (!first) first = done.error();
      }
    }
  };
  std::vector<std::thread> threads;
  for (int t = 0; t < std::min(count, kParallelNodes); ++t) threads.emplace_back(worker);
  for (auto& t : threads) t.join();
  if (first) return *first;
  return {};
}

struct Plan {
  std::string name, dir;
  Subnet subnet;
  Profile profile;
  std::vector<NodePlan> nodes;
  bool cgroups = false;
};

Status make_network(const Plan& plan) {
  std::string add = fmt::format("netns add {}\n", bridge_netns(plan.name));
  for (const auto& node : plan.nodes) add += fmt::format("netns add {}\n", node.netns);
  if (auto made = run_step("sim up: make the network namespaces", {"ip", "-batch", "-"}, add); !made) return made;

  std::string bridge = "link add br0 type bridge\nlink set br0 up\nlink set lo up\n";
  for (std::size_t i = 0; i < plan.nodes.size(); ++i)
    bridge += fmt::format("link add v{0} type veth peer name eth0 netns {1}\nlink set v{0} master br0\nlink set v{0} up\n",
                          i, plan.nodes[i].netns);
  return run_step("sim up: make the bridge and links", {"ip", "-n", bridge_netns(plan.name), "-batch", "-"}, bridge);
}

/// True when `path` is a mount point in our namespace.
bool mounted(const std::string& path) {
  auto mounts = sys::read_file("/proc/self/mounts");
  return mounts && mounts->find(" " + path + " ") != std::string::npos;
}

/// The nodes' files live in a tmpfs of the sim's own: fast to fill, and gone in one
/// umount at `down` (/run is not always a tmpfs, and deleting 1500 files per node from
/// a disk is slow).
Status mount_nodes_tmpfs(const std::string& path, StateLog& log) {
  if (auto w = log.append("mount " + path); !w) return w;
  std::error_code ec;
  fs::create_directory(path, ec);
  if (ec) return Error{fmt::format("sim up: mkdir {}: {}", path, ec.message())};
  if (::mount("beowulf-sim", path.c_str(), "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755") != 0)
    return Error{fmt::format("sim up: mount a tmpfs on {}: {}", path, std::strerror(errno))};
  return {};
}

Status make_nodes(const Plan& plan, StateLog& log, const Progress& progress) {
  auto hash = hash_password(plan.profile.password);
  if (!hash) return hash.error();
  if (auto made = mount_nodes_tmpfs(plan.dir + "/nodes", log); !made) return made;
  std::mutex mutex;
  int done = 0, total = static_cast<int>(plan.nodes.size());
  return in_parallel(total, [&](int i) -> Status {
    const NodePlan& node = plan.nodes[static_cast<std::size_t>(i)];
    if (auto net = configure_network(node); !net) return net;
    if (auto files = prepare_files(node, plan.profile, *hash); !files) return files;
    auto holder = start_holder(node, plan.profile, plan.cgroups);
    if (!holder) return holder.error();
    std::unique_lock lock(mutex);  // the journal and the progress callback are shared
    if (auto w = log.append(fmt::format("process {} holder {} {}", node.label, holder->pid, holder->start_time)); !w)
      return w;
    lock.unlock();  // waiting for sshd to listen is the slow part
    auto sshd = start_sshd(node, holder->pid);
    lock.lock();
    if (!sshd) return sshd.error();
    if (auto w = log.append(fmt::format("process {} sshd {} {}", node.label, sshd->pid, sshd->start_time)); !w) return w;
    ++done;
    if (progress) progress(done, total);
    return {};
  });
}

Result<Plan> plan_for(const UpOptions& options) {
  if (auto ok = check_name(options.name); !ok) return ok.error();
  auto subnet = parse_subnet(options.subnet);
  if (!subnet) return subnet.error();
  auto profile = profile_named(options.profile);
  if (!profile) return profile.error();
  auto addresses = node_addresses(*subnet, options.workers);
  if (!addresses) return addresses.error();
  Plan plan{options.name, options.state_dir.empty() ? Sim::default_state_dir(options.name) : options.state_dir,
            *subnet, *profile, {}, options.cgroups};
  auto cpus = sys::allowed_cpus();
  if (options.cores < 1 || options.cores > static_cast<int>(cpus.size()))
    return bad_input(fmt::format("--cores {}: a board here can have 1 to {} cores, the CPUs of this machine",
                                 options.cores, cpus.size()));
  auto labels = node_labels(options.workers);
  for (std::size_t i = 0; i < labels.size(); ++i)
    plan.nodes.push_back({labels[i], (*addresses)[i], subnet->prefix, node_netns(options.name, labels[i]),
                          plan.dir + "/nodes/" + labels[i], board_cpus(static_cast<int>(i), options.cores, cpus)});
  return plan;
}

/// Ends every process in the sim's namespaces and every recorded process still running;
/// waits (5 s at most) until they are gone. Returns the pids that would not go.
std::vector<pid_t> end_processes(const SimState& state) {
  auto alive = [&] {
    std::vector<std::string> paths;
    for (const auto& ns : state.netns) paths.push_back("/run/netns/" + ns);
    std::vector<pid_t> left = pids_in_netns(paths);
    for (const auto& [label, roles] : state.processes)
      for (const auto& [role, record] : roles)
        if (still_running(record)) left.push_back(record.pid);
    return left;
  };
  auto deadline = Clock::now() + std::chrono::seconds(5);
  for (;;) {
    auto left = alive();
    if (left.empty() || Clock::now() > deadline) return left;
    for (pid_t pid : left) ::kill(pid, SIGKILL);
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

}  // namespace

Error needs_root(const std::string& step) {
  return Error{fmt::format("{}: needs root: a virtual cluster is made of network namespaces, veth links and "
                           "mounts, which only root may create",
                           step),
               "", "run it as root, e.g. 'sudo beowulf " + step + "'"};
}

std::string Sim::default_state_dir(const std::string& name) { return "/run/beowulf-sim/" + name; }

Result<Sim> Sim::up(const UpOptions& options, const Progress& progress) {
  auto plan = plan_for(options);
  if (!plan) return plan.error();
  if (geteuid() != 0) return needs_root("sim up");
  if (auto clean = check_no_leftovers(plan->name, plan->dir); !clean) return clean.error();

  std::error_code ec;
  fs::create_directories(plan->dir, ec);
  if (ec || ::chmod(plan->dir.c_str(), 0700) != 0)
    return Error{fmt::format("sim up: mkdir {}: {}", plan->dir, ec ? ec.message() : std::strerror(errno))};
  auto log = StateLog::open(plan->dir + "/state");
  if (!log) return log.error();

  auto record_and_make = [&]() -> Status {
    std::vector<std::string> records = {kStateHeader, fmt::format("sim {} {} {}", plan->name, plan->subnet.text(),
                                                                  plan->profile.name)};
    for (const auto& node : plan->nodes) records.push_back(fmt::format("node {} {}", node.label, node.address));
    records.push_back("netns " + bridge_netns(plan->name));
    for (const auto& node : plan->nodes) records.push_back("netns " + node.netns);
    for (const auto& record : records)
      if (auto w = log->append(record); !w) return w;
    if (auto net = make_network(*plan); !net) return net;
    if (auto room = fit_neighbour_table(); !room) return room;
    return make_nodes(*plan, *log, progress);
  };
  if (auto made = record_and_make(); !made) {
    Error error = made.error();
    auto removed = down(plan->dir);
    error.hint = removed ? "everything it made has been removed again"
                         : fmt::format("removing what it made failed too ({}): run 'beowulf sim down{}'",
                                       removed.error().message(), plan->name == "default" ? "" : " --name " + plan->name);
    return error;
  }
  return open(plan->dir);
}

Result<Sim> Sim::open(const std::string& state_dir) {
  std::string path = state_dir + "/state";
  if (!fs::exists(path))
    return Error{fmt::format("no sim is up here: {} does not exist", path), "",
                 "start one with 'beowulf sim up', or name it with --name or --state"};
  auto text = sys::read_file(path);
  if (!text) return text.error();
  auto state = parse_state(*text, path);
  if (!state) return state.error();
  return Sim(state_dir, std::move(*state));
}

Status Sim::reload() {
  auto fresh = open(dir_);
  if (!fresh) return fresh.error();
  state_ = fresh->state_;
  return {};
}

Status Sim::down(const std::string& state_dir) {
  if (geteuid() != 0) return needs_root("sim down");
  std::string path = state_dir + "/state";
  SimState state;
  if (fs::exists(path)) {
    auto text = sys::read_file(path);
    if (!text) return text.error();
    auto parsed = parse_state(*text, path);
    if (!parsed) return parsed.error();
    state = std::move(*parsed);
  } else if (!fs::exists(state_dir + "/nodes")) {
    return Error{fmt::format("sim down: no sim is up here: {} does not exist", path), "",
                 "name the sim with --name or --state; 'ls /run/beowulf-sim' lists the sims up"};
  }

  auto stuck = end_processes(state);
  if (!stuck.empty())
    return Error{fmt::format("sim down: process {} in the sim would not end after SIGKILL", stuck.front())};
  std::string del;
  for (auto ns = state.netns.rbegin(); ns != state.netns.rend(); ++ns)
    if (netns_exists(*ns)) del += "netns del " + *ns + "\n";
  if (!del.empty())
    if (auto removed = run_step("sim down: remove the network namespaces", {"ip", "-force", "-batch", "-"}, del); !removed)
      return removed;
  for (const auto& ns : state.netns)
    if (netns_exists(ns)) return Error{fmt::format("sim down: network namespace {} is still there", ns)};

  for (auto m = state.mounts.rbegin(); m != state.mounts.rend(); ++m)
    if (mounted(*m) && ::umount2(m->c_str(), 0) != 0 && ::umount2(m->c_str(), MNT_DETACH) != 0)
      return Error{fmt::format("sim down: unmount {}: {}", *m, std::strerror(errno))};
  std::error_code ec;
  fs::remove_all(state_dir + "/nodes", ec);
  if (ec) return Error{fmt::format("sim down: remove {}/nodes: {}", state_dir, ec.message())};
  fs::remove(path, ec);
  fs::remove(state_dir, ec);  // only when empty: --state may name a directory with other files
  return fit_neighbour_table();
}

std::string Sim::address(const std::string& label) const {
  const NodeRecord* node = state_.node(label);
  return node ? node->address : "";
}

std::string Sim::board_user() const {
  auto profile = profile_named(state_.profile);
  return profile ? profile->user : "";
}

std::string Sim::board_password() const {
  auto profile = profile_named(state_.profile);
  return profile ? profile->password : "";
}

Result<std::vector<std::string>> Sim::exec_argv(const std::string& label, const std::vector<std::string>& command,
                                                const std::string& user) const {
  const NodeRecord* node = state_.node(label);
  if (node == nullptr) {
    std::vector<std::string> labels;
    for (const auto& n : state_.nodes) labels.push_back(n.label);
    return bad_input(fmt::format("no node '{}' in sim '{}'", label, state_.name),
                     fmt::format("its nodes are {} .. {}", labels.front(), labels.back()));
  }
  std::string who = fmt::format("{} ({})", node->label, node->address);
  auto holder = state_.processes.count(label) ? state_.processes.at(label).count("holder") : 0;
  if (holder == 0 || !still_running(state_.processes.at(label).at("holder")))
    return Error{"the node's namespaces are gone (its holder process has ended)", who,
                 "run 'beowulf sim down' and 'beowulf sim up' again"};
  auto passwd = sys::read_file(dir_ + "/nodes/" + label + "/etc/passwd");
  if (!passwd) return Error{passwd.error().what, who};
  std::string name = user.empty() ? "root" : user;
  auto entry = find_user(*passwd, name);
  if (!entry) return bad_input(fmt::format("{}: no user '{}' on this node", who, name));
  std::vector<std::string> argv = nsenter_argv(state_.processes.at(label).at("holder").pid,
                                               {"setpriv", fmt::format("--reuid={}", entry->uid),
                                                fmt::format("--regid={}", entry->gid), "--init-groups",
                                                "--reset-env", "--"},
                                               {"--wdns=" + entry->home});
  argv.insert(argv.end(), command.begin(), command.end());
  return argv;
}

Result<sys::ProcessResult> Sim::exec(const std::string& label, const std::vector<std::string>& command,
                                     const ExecOptions& options) const {
  auto argv = exec_argv(label, command, options.user);
  if (!argv) return argv.error();
  return sys::run({.argv = *argv, .input = options.input, .timeout = options.timeout});
}

std::vector<NodeStatus> Sim::status() const {
  std::vector<NodeStatus> out;
  for (const auto& node : state_.nodes) {
    NodeStatus s{node.label, node.address, "-", false};
    auto roles = state_.processes.find(node.label);
    if (roles != state_.processes.end() && roles->second.count("holder") &&
        still_running(roles->second.at("holder"))) {
      pid_t holder = roles->second.at("holder").pid;
      auto name = sys::run({.argv = nsenter_argv(holder, {"hostname"}), .timeout = std::chrono::seconds(5)});
      if (name && name->ok()) s.hostname = name->out.substr(0, name->out.find('\n'));
      s.sshd_up = listening(holder, node.address, 22);
    }
    out.push_back(s);
  }
  return out;
}

}  // namespace beowulf::sim
