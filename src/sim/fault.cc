#include "sim/fault.h"

#include <signal.h>
#include <unistd.h>

#include <filesystem>
#include <regex>
#include <thread>

#include <fmt/core.h>

#include "core/suggest.h"
#include "sim/node_setup.h"
#include "sim/proc.h"
#include "sim/sim.h"
#include "sim/subnet.h"
#include "sys/process.h"

namespace beowulf::sim {
namespace {

namespace fs = std::filesystem;
constexpr const char* kDefaultRate = "1mbit";
constexpr const char* kFaultTable = "beowulf_fault";

std::vector<std::string> tc_limit(const std::string& ns, const std::string& dev, const std::string& rate) {
  return {"tc", "-n", ns, "qdisc", "replace", "dev", dev, "root", "tbf", "rate", rate, "burst", "32kbit", "latency", "400ms"};
}

}  // namespace

const std::vector<std::string>& fault_kinds() {
  static const std::vector<std::string> kinds = {"sshd-down", "link-down", "port-block", "slow-link",
                                                 "clone-host-keys"};
  return kinds;
}

Result<FaultRecord> check_fault(const std::string& label, const std::string& kind, const std::string& arg,
                                const std::vector<std::string>& labels) {
  auto refuse = [&](const std::string& why, const std::string& hint = {}) {
    return bad_input(fmt::format("sim fault {} {}{}: {}", label, kind, arg.empty() ? "" : " " + arg, why), hint);
  };
  if (std::find(fault_kinds().begin(), fault_kinds().end(), kind) == fault_kinds().end()) {
    auto guess = closest(kind, fault_kinds());
    return refuse("no such fault", guess ? fmt::format("did you mean '{}'?", *guess)
                                         : "faults: sshd-down, link-down, port-block PORT, slow-link RATE, "
                                           "clone-host-keys FROM");
  }
  if (kind == "sshd-down" || kind == "link-down") {
    if (!arg.empty()) return refuse("this fault takes no argument");
    return FaultRecord{kind, ""};
  }
  if (kind == "port-block") {
    static const std::regex port("[1-9][0-9]{0,4}");
    if (!std::regex_match(arg, port) || std::stoi(arg) > 65535) return refuse("give a TCP port, 1 to 65535", "e.g. port-block 22");
    return FaultRecord{kind, arg};
  }
  if (kind == "slow-link") {
    static const std::regex rate("[1-9][0-9]{0,8}(bit|kbit|mbit|gbit)");
    if (arg.empty()) return FaultRecord{kind, kDefaultRate};
    if (!std::regex_match(arg, rate)) return refuse("give a rate like 512kbit or 1mbit", "e.g. slow-link 256kbit");
    return FaultRecord{kind, arg};
  }
  // clone-host-keys
  if (arg.empty()) return refuse("name the node whose host keys to copy", "e.g. clone-host-keys node1");
  if (arg == label) return refuse("a node cannot clone its own host keys");
  if (std::find(labels.begin(), labels.end(), arg) == labels.end()) return refuse(fmt::format("no node '{}'", arg));
  return FaultRecord{kind, arg};
}

namespace {

struct Target {
  const SimState& state;
  std::string dir;
  NodePlan node;
  std::string bridge_ns, bridge_port;
  pid_t holder = 0;
};

Result<Target> target_of(const SimState& state, const std::string& dir, const std::string& label) {
  std::size_t index = 0;
  while (index < state.nodes.size() && state.nodes[index].label != label) ++index;
  if (index == state.nodes.size()) return bad_input(fmt::format("no node '{}' in sim '{}'", label, state.name));
  const auto& record = state.nodes[index];
  auto subnet = parse_subnet(state.subnet);
  if (!subnet) return subnet.error();
  NodePlan node{label, record.address, subnet->prefix, "bwsim-" + state.name + "-" + label,
                dir + "/nodes/" + label};
  auto roles = state.processes.find(label);
  if (roles == state.processes.end() || !roles->second.count("holder") || !still_running(roles->second.at("holder")))
    return Error{"the node's namespaces are gone (its holder process has ended)", node.who(),
                 "run 'beowulf sim down' and 'beowulf sim up' again"};
  return Target{state, dir, node, "bwsim-" + state.name, fmt::format("v{}", index), roles->second.at("holder").pid};
}

Status stop_sshd(const Target& t) {
  auto roles = t.state.processes.at(t.node.label);
  if (roles.count("sshd") && still_running(roles.at("sshd"))) ::kill(roles.at("sshd").pid, SIGTERM);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while ((roles.count("sshd") && still_running(roles.at("sshd"))) || listening(t.holder, t.node.address, 22)) {
    if (std::chrono::steady_clock::now() > deadline)
      return Error{"stop sshd: still running 5 s after SIGTERM", t.node.who()};
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return {};
}

Status start_and_record_sshd(const Target& t, StateLog& log) {
  auto sshd = start_sshd(t.node, t.holder);
  if (!sshd) return sshd.error();
  return log.append(fmt::format("process {} sshd {} {}", t.node.label, sshd->pid, sshd->start_time));
}

Status copy_host_keys(const std::string& from_etc, const std::string& to_etc) {
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(from_etc + "/ssh", ec)) {
    std::string name = entry.path().filename().string();
    if (name.rfind("ssh_host_", 0) != 0) continue;
    fs::copy_file(entry.path(), to_etc + "/ssh/" + name, fs::copy_options::overwrite_existing, ec);
    if (ec) return Error{fmt::format("copy host key {}: {}", name, ec.message())};
  }
  if (ec) return Error{fmt::format("read {}/ssh: {}", from_etc, ec.message())};
  return {};
}

Status restart_sshd(const Target& t, StateLog& log) {
  if (auto stopped = stop_sshd(t); !stopped) return stopped;
  return start_and_record_sshd(t, log);
}

Status apply_fault(const Target& t, const FaultRecord& fault, StateLog& log) {
  const NodePlan& n = t.node;
  if (fault.kind == "sshd-down") return stop_sshd(t);
  if (fault.kind == "link-down") return run_step("link down", {"ip", "-n", n.netns, "link", "set", "eth0", "down"});
  if (fault.kind == "port-block")
    return run_step("block port " + fault.arg, {"ip", "netns", "exec", n.netns, "nft", "-f", "-"},
                    fmt::format("table inet {0} {{\n  chain input {{ type filter hook input priority 0; policy accept; }}\n}}\n"
                                "add rule inet {0} input iifname \"eth0\" tcp dport {1} drop\n",
                                kFaultTable, fault.arg));
  if (fault.kind == "slow-link") {
    if (auto out = run_step("limit the link", tc_limit(n.netns, "eth0", fault.arg)); !out) return out;
    return run_step("limit the link", tc_limit(t.bridge_ns, t.bridge_port, fault.arg));
  }
  // clone-host-keys: keep the node's own keys (once) to give back on heal.
  std::string saved = n.dir + "/saved-host-keys";
  if (!fs::exists(saved + "/ssh")) {
    std::error_code ec;
    fs::create_directories(saved + "/ssh", ec);
    if (auto kept = copy_host_keys(n.dir + "/etc", saved); !kept) return kept;
  }
  if (auto copied = copy_host_keys(t.dir + "/nodes/" + fault.arg + "/etc", n.dir + "/etc"); !copied) return copied;
  return restart_sshd(t, log);
}

Status undo(const Target& t, const FaultRecord& fault, StateLog& log) {
  const NodePlan& n = t.node;
  if (fault.kind == "sshd-down") return listening(t.holder, n.address, 22) ? Status{} : start_and_record_sshd(t, log);
  if (fault.kind == "link-down") return run_step("link up", {"ip", "-n", n.netns, "link", "set", "eth0", "up"});
  if (fault.kind == "port-block") {
    auto listed = sys::run({.argv = {"ip", "netns", "exec", n.netns, "nft", "list", "tables"}});
    if (!listed || listed->out.find(kFaultTable) == std::string::npos) return {};  // an earlier port-block removed it
    return run_step("unblock ports", {"ip", "netns", "exec", n.netns, "nft", "delete", "table", "inet", kFaultTable});
  }
  if (fault.kind == "slow-link") {
    auto node_side = run_step("unlimit the link", {"tc", "-n", n.netns, "qdisc", "del", "dev", "eth0", "root"});
    auto bridge_side = run_step("unlimit the link", {"tc", "-n", t.bridge_ns, "qdisc", "del", "dev", t.bridge_port, "root"});
    return !node_side ? node_side : bridge_side;
  }
  std::string saved = n.dir + "/saved-host-keys";
  if (!fs::exists(saved + "/ssh")) return {};  // restored by an earlier clone-host-keys
  if (auto restored = copy_host_keys(saved, n.dir + "/etc"); !restored) return restored;
  std::error_code ec;
  fs::remove_all(saved, ec);
  return restart_sshd(t, log);
}

}  // namespace

Status Sim::fault(const std::string& label, const std::string& kind, const std::string& arg) {
  if (geteuid() != 0) return needs_root("sim fault");
  std::vector<std::string> labels;
  for (const auto& n : state_.nodes) labels.push_back(n.label);
  auto target = target_of(state_, dir_, label);
  if (!target) return target.error();
  auto checked = check_fault(label, kind, arg, labels);
  if (!checked) return checked.error();
  auto log = StateLog::open(dir_ + "/state");
  if (!log) return log.error();
  if (auto w = log->append(fmt::format("fault {} {}{}", label, checked->kind, checked->arg.empty() ? "" : " " + checked->arg)); !w)
    return w;
  auto applied = apply_fault(*target, *checked, *log);
  auto reloaded = reload();
  if (!applied) return Error{fmt::format("fault {}: {}", kind, applied.error().what), target->node.who()};
  return reloaded;
}

Status Sim::heal(const std::string& label) {
  if (geteuid() != 0) return needs_root("sim heal");
  auto target = target_of(state_, dir_, label);
  if (!target) return target.error();
  auto log = StateLog::open(dir_ + "/state");
  if (!log) return log.error();
  auto faults = state_.faults.count(label) ? state_.faults.at(label) : std::vector<FaultRecord>{};
  for (auto fault = faults.rbegin(); fault != faults.rend(); ++fault)
    if (auto undone = undo(*target, *fault, *log); !undone)
      return Error{fmt::format("heal {}: {}", fault->kind, undone.error().what), target->node.who()};
  if (auto w = log->append("heal " + label); !w) return w;
  return reload();
}

}  // namespace beowulf::sim
