// beowulf sim: a virtual cluster of namespaces on this machine (src/sim/).

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>

#include <fmt/core.h>

#include "cli/command.h"
#include "cli/report.h"
#include "sim/sim.h"

namespace beowulf::cli {
namespace {

/// Options every `sim` subcommand shares: which sim.
struct Which {
  std::string name = "default";
  std::string state_dir;
  std::string dir() const { return state_dir.empty() ? sim::Sim::default_state_dir(name) : state_dir; }
  std::string flag() const { return name == "default" ? "" : " --name " + name; }
};

void add_which(CLI::App& app, Which& which) {
  app.add_option("--name", which.name, "which sim (several may run side by side)")->capture_default_str();
  app.add_option("--state", which.state_dir, "the sim's state directory (default: /run/beowulf-sim/NAME)");
}

Result<sim::Sim> open_as_root(const Which& which, const std::string& step) {
  if (geteuid() != 0) return sim::needs_root(step);
  return sim::Sim::open(which.dir());
}

/// Replaces this process with `argv`: its exit status, stdin and terminal become the command's.
int exec_replacing(const std::vector<std::string>& argv) {
  std::vector<char*> pointers;
  for (const auto& a : argv) pointers.push_back(const_cast<char*>(a.c_str()));
  pointers.push_back(nullptr);
  std::fflush(stdout);
  ::execvp(pointers[0], pointers.data());
  return report(Error{fmt::format("run {}: {}", argv[0], std::strerror(errno))});
}

int up(const sim::UpOptions& options) {
  bool tty = isatty(fileno(stderr)) == 1;
  auto progress = [&](int done, int total) {
    if (tty) fmt::print(stderr, "\rsim up: {}/{} nodes up", done, total);
  };
  auto made = sim::Sim::up(options, progress);
  if (tty) fmt::print(stderr, "\r\x1b[K");
  if (!made) return report(made.error());
  const auto& nodes = made->state().nodes;
  std::string flag = options.name == "default" ? "" : " --name " + options.name;
  fmt::print("sim '{}' is up: master {}", options.name, nodes.front().address);
  if (nodes.size() > 1)
    fmt::print(", {} worker{} {}..{}", nodes.size() - 1, nodes.size() == 2 ? "" : "s", nodes[1].address,
               nodes.back().address);
  fmt::print("\nprofile {}: user '{}', password '{}'\n", options.profile, made->board_user(), made->board_password());
  fmt::print("try: beowulf sim exec{} node{} -- hostname\n     beowulf sim shell{}\n", flag, nodes.size() > 1 ? "1" : "",
             flag);
  return exit_ok;
}

int status(const Which& which) {
  auto opened = open_as_root(which, "sim status");
  if (!opened) return report(opened.error());
  auto rows = opened->status();
  fmt::print("{:<10} {:<15} {:<16} {:<5} {}\n", "NODE", "ADDRESS", "HOSTNAME", "SSHD", "FAULTS");
  for (const auto& row : rows) {
    std::string faults;
    if (auto f = opened->state().faults.find(row.label); f != opened->state().faults.end())
      for (const auto& fault : f->second) faults += (faults.empty() ? "" : ", ") + fault.kind + (fault.arg.empty() ? "" : " " + fault.arg);
    fmt::print("{:<10} {:<15} {:<16} {:<5} {}\n", row.label, row.address, row.hostname,
               row.sshd_up ? "up" : "down", faults.empty() ? "-" : faults);
  }
  return exit_ok;
}

int exec(const Which& which, const std::string& node, const std::string& user, std::vector<std::string> command,
         const std::string& step) {
  auto opened = open_as_root(which, step);
  if (!opened) return report(opened.error());
  auto argv = opened->exec_argv(node, command, user);
  if (!argv) return report(argv.error());
  return exec_replacing(*argv);
}

int fault(const Which& which, const std::string& node, const std::string& kind, const std::string& arg) {
  auto opened = open_as_root(which, "sim fault");
  if (!opened) return report(opened.error());
  if (auto done = opened->fault(node, kind, arg); !done) return report(done.error());
  fmt::print("{}: {}{} (undo with 'beowulf sim heal{} {}')\n", node, kind, arg.empty() ? "" : " " + arg,
             which.flag(), node);
  return exit_ok;
}

int heal(const Which& which, const std::string& node) {
  auto opened = open_as_root(which, "sim heal");
  if (!opened) return report(opened.error());
  if (auto done = opened->heal(node); !done) return report(done.error());
  fmt::print("{}: healed\n", node);
  return exit_ok;
}

Run attach(CLI::App& app) {
  app.require_subcommand(1);
  app.footer(
      "Example:\n"
      "  beowulf sim up --workers 3            # master + 3 workers, fresh Parallella boards\n"
      "  beowulf sim exec node1 -- hostname    # prints linaro-nano\n"
      "  beowulf sim down");
  struct Options {
    Which which;
    sim::UpOptions up;
    std::string node, user, kind, arg;
    std::vector<std::string> command;
    std::string w;  ///< `sim up -w N`: the count is --workers here, -w a node set elsewhere
  };
  auto o = std::make_shared<Options>();

  auto* up_cmd = app.add_subcommand("up", "start a virtual cluster: a master and N workers, each a set of namespaces with its own sshd");
  add_which(*up_cmd, o->which);
  up_cmd->add_option("--workers", o->up.workers, "how many workers besides the master")->capture_default_str();
  auto* up_w = up_cmd->add_option("-w", o->w)->group("");  // hidden: only to say what to type instead
  up_cmd->add_option("--cores", o->up.cores,
                     "cores each board has (its processes share that many of this machine's CPUs)")
      ->capture_default_str();
  up_cmd->add_flag("--cgroups", o->up.cgroups,
                   "give each node a /sys/fs/cgroup with cgroup v1 hierarchies (for 'beowulf slurm up')");
  up_cmd->add_option("--profile", o->up.profile, "what the boards look like: parallella (linaro/linaro) or raspberrypi (pi/raspberry)")
      ->capture_default_str();
  up_cmd->add_option("--subnet", o->up.subnet, "the network, inside 198.18.0.0/15; master .10, workers .11 and up")
      ->capture_default_str();
  up_cmd->footer("Example:\n  beowulf sim up --workers 3\n  beowulf sim up --name pis --profile raspberrypi --subnet 198.18.1.0/24");

  auto* down_cmd = app.add_subcommand("down", "remove everything 'sim up' made (also after a crash)");
  add_which(*down_cmd, o->which);
  down_cmd->footer("Example:\n  beowulf sim down --name pis");

  auto* status_cmd = app.add_subcommand("status", "a table of the nodes: address, hostname, sshd up or down, faults");
  add_which(*status_cmd, o->which);
  status_cmd->footer("Example:\n  beowulf sim status");

  auto* exec_cmd = app.add_subcommand("exec", "run a command on a node (as root, or --user), with its exit status");
  add_which(*exec_cmd, o->which);
  exec_cmd->add_option("node", o->node, "master, node1, node2, ...")->required();
  exec_cmd->add_option("--user,-u", o->user, "run as this user (e.g. linaro), in a login-like environment");
  exec_cmd->add_option("command", o->command, "the command and its arguments, after --")->required();
  exec_cmd->footer("Example:\n  beowulf sim exec node1 -- hostname\n  beowulf sim exec master --user linaro -- beowulf status");

  auto* shell_cmd = app.add_subcommand("shell", "an interactive shell on a node (default: the master), as root");
  add_which(*shell_cmd, o->which);
  shell_cmd->add_option("node", o->node, "master, node1, ...")->default_str("master");
  shell_cmd->add_option("--user,-u", o->user, "log in as this user instead of root");
  shell_cmd->footer("Example:\n  beowulf sim shell node2 --user linaro");

  auto* fault_cmd = app.add_subcommand("fault", "break a node on purpose: sshd-down, link-down, port-block PORT, "
                                                "slow-link RATE, clone-host-keys FROM");
  add_which(*fault_cmd, o->which);
  fault_cmd->add_option("node", o->node, "the node to break")->required();
  fault_cmd->add_option("kind", o->kind, "sshd-down | link-down | port-block | slow-link | clone-host-keys")->required();
  fault_cmd->add_option("arg", o->arg, "PORT for port-block, RATE (e.g. 1mbit) for slow-link, FROM for clone-host-keys");
  fault_cmd->footer(
      "Example:\n  beowulf sim fault node2 port-block 22\n  beowulf sim fault node3 clone-host-keys node1\n"
      "  beowulf sim heal node2\n\nslow-link limits bandwidth (tc tbf): this kernel has no netem to add delay.");

  auto* heal_cmd = app.add_subcommand("heal", "undo every fault on a node");
  add_which(*heal_cmd, o->which);
  heal_cmd->add_option("node", o->node, "the node to heal")->required();
  heal_cmd->footer("Example:\n  beowulf sim heal node2");

  return [o, up_cmd, up_w, down_cmd, status_cmd, exec_cmd, shell_cmd, fault_cmd, heal_cmd]() -> int {
    if (up_cmd->parsed() && up_w->count() > 0)
      return report(bad_input("sim up: -w is a node set in the commands that act on members; the number of "
                              "workers is --workers",
                              fmt::format("beowulf sim up --workers {}", o->w)));
    if (up_cmd->parsed()) {
      o->up.name = o->which.name;
      o->up.state_dir = o->which.state_dir;
      return up(o->up);
    }
    if (down_cmd->parsed()) {
      auto done = sim::Sim::down(o->which.dir());
      if (!done) return report(done.error());
      fmt::print("sim '{}' is down: every namespace, link, process and file it made is removed\n", o->which.name);
      return exit_ok;
    }
    if (status_cmd->parsed()) return status(o->which);
    if (exec_cmd->parsed()) return exec(o->which, o->node, o->user, o->command, "sim exec");
    if (shell_cmd->parsed()) return exec(o->which, o->node.empty() ? "master" : o->node, o->user, {"bash", "-l"}, "sim shell");
    if (fault_cmd->parsed()) return fault(o->which, o->node, o->kind, o->arg);
    if (heal_cmd->parsed()) return heal(o->which, o->node);
    return exit_usage;
  };
}

}  // namespace

Run attach_sim(CLI::App& sub) { return attach(sub); }

}  // namespace beowulf::cli
