// beowulf users: the same accounts on every board (src/cluster/users_workflow.h): `add`
// (name, UID, GID, home, shell, and a key trusted between the members), `remove`, and
// `check` (a user missing, a UID or GID differing, a home missing; --fix mends them).

#include <unistd.h>

#include <fmt/core.h>

#include <algorithm>
#include <memory>

#include "cli/command.h"
#include "cli/interrupt.h"
#include "cli/member_options.h"
#include "cli/password_options.h"
#include "cli/report.h"
#include "cluster/members.h"
#include "cluster/users_workflow.h"
#include "core/nodeset.h"
#include "sys/inventory_file.h"
#include "sys/password_input.h"
#include "sys/paths.h"

namespace beowulf::cli {
namespace {

struct Options {
  std::vector<std::string> names;
  int uid = 0;                 ///< 0: the next free
  std::string password_file;   ///< the new accounts' password (mode 0600)
  bool password_stdin = false; ///< ... or from standard input's first line
  UnneededPasswordOptions sudo_password;  ///< --sudo-password-file, from before sudo -n
  bool fix = false;
  MemberOptions pace;  ///< -f and -t only: the accounts are the same on every member
};

/// The workflow's options from -f and -t.
Result<cluster::UsersOptions> users_options(const Options& o, int cancel_fd) {
  auto timeout = o.pace.timeout();
  if (!timeout.ok()) return timeout.error();
  return cluster::UsersOptions{.fanout = o.pace.fanout, .timeout = *timeout, .cancel_fd = cancel_fd};
}

/// Every name the arguments give, node-set grammar expanded: student[01-03].
Result<std::vector<std::string>> expanded(const std::vector<std::string>& args) {
  std::vector<std::string> out;
  for (const auto& arg : args) {
    auto set = NodeSet::parse(arg);
    if (!set.ok()) return set.error();
    for (auto& name : set->expand())
      if (std::find(out.begin(), out.end(), name) == out.end()) out.push_back(name);
  }
  return out;
}

Result<Inventory> loaded() {
  auto inventory = sys::load_inventory(sys::inventory_path());
  if (!inventory.ok()) return inventory.error();
  if (inventory->master() == nullptr)
    return Error{"the cluster has no master yet", {}, "run 'beowulf init' on the master first"};
  return inventory;
}

Result<remote::Ssh> warm_ssh() {
  remote::Ssh ssh;
  if (auto made = remote::ensure_control_dir(ssh.settings().control_dir); !made) return made.error();
  return ssh;
}

int print_nodes(const std::vector<cluster::UsersNode>& nodes, std::string_view nothing) {
  std::size_t name_w = 4;
  for (const auto& n : nodes) name_w = std::max(name_w, n.name.size());
  int status = exit_ok;
  bool changed = false;
  for (const auto& n : nodes) {
    for (const auto& c : n.changes) fmt::print("{:<{}}  {}\n", n.name, name_w, c);
    changed = changed || !n.changes.empty();
  }
  for (const auto& n : nodes)
    if (n.error) status = report(*n.error);
  if (!changed && status == exit_ok) fmt::print("{}\n", nothing);
  return status;
}

int run_add(const Options& o) {
  auto names = expanded(o.names);
  if (!names.ok()) return report(names.error());
  if (!o.password_file.empty() && o.password_stdin)
    return report(bad_input("--password-file and --password-stdin do not go together"));
  auto inventory = loaded();
  if (!inventory.ok()) return report(inventory.error());
  auto ssh = warm_ssh();
  if (!ssh.ok()) return report(ssh.error());
  InterruptGuard interrupt;
  auto options = users_options(o, interrupt.fd());
  if (!options.ok()) return report(options.error());
  cluster::UsersAddRequest request{.names = *names};
  if (o.uid != 0) request.uid = o.uid;
  if (!o.password_file.empty() || o.password_stdin) {
    auto password = o.password_stdin ? sys::read_password_from_fd(STDIN_FILENO) : sys::read_password_file(o.password_file);
    if (!password.ok()) return report(password.error());
    request.password = *password;
  }
  // Refused before any node changes: a bad name, a taken name or UID.
  auto plan = cluster::check_users_add(*inventory, *ssh, request, *options);
  if (!plan.ok()) return report(plan.error());
  o.sudo_password.drop("users add");
  auto done = cluster::users_add(*inventory, *ssh, request, *options);
  if (interrupt.interrupted()) return exit_interrupted;
  if (!done.ok()) return report(done.error());
  return print_nodes(*done, "users add: nothing to change");
}

int run_remove(const Options& o) {
  auto names = expanded(o.names);
  if (!names.ok()) return report(names.error());
  for (const auto& name : *names)
    if (Status s = cluster::check_user_name(name); !s.ok()) return report(s.error());
  auto inventory = loaded();
  if (!inventory.ok()) return report(inventory.error());
  if (std::any_of(inventory->nodes().begin(), inventory->nodes().end(),
                  [&](const Node& n) { return std::find(names->begin(), names->end(), n.user) != names->end(); }))
    return report(bad_input("refusing to remove the user beowulf logs in to the boards as"));
  auto ssh = warm_ssh();
  if (!ssh.ok()) return report(ssh.error());
  o.sudo_password.drop("users remove");
  InterruptGuard interrupt;
  auto options = users_options(o, interrupt.fd());
  if (!options.ok()) return report(options.error());
  auto done = cluster::users_remove(*inventory, *ssh, *names, *options);
  if (interrupt.interrupted()) return exit_interrupted;
  return print_nodes(done, "users remove: no node has them");
}

int run_check(const Options& o) {
  auto names = expanded(o.names);
  if (!names.ok()) return report(names.error());
  auto inventory = loaded();
  if (!inventory.ok()) return report(inventory.error());
  auto ssh = warm_ssh();
  if (!ssh.ok()) return report(ssh.error());
  InterruptGuard interrupt;
  auto options = users_options(o, interrupt.fd());
  if (!options.ok()) return report(options.error());
  if (o.fix) {
    o.sudo_password.drop("users check");
    auto done = cluster::fix_users(*inventory, *ssh, *names, *options);
    if (!done.ok()) return report(done.error());
    if (int status = print_nodes(*done, "users check: nothing to fix"); status != exit_ok) return status;
  }
  auto problems = cluster::find_user_problems(*inventory, inventory->nodes(), *ssh, *names, *options);
  if (interrupt.interrupted()) return exit_interrupted;
  if (!problems.ok()) return report(problems.error());
  for (const auto& p : *problems) fmt::print("✘ {} on {}: {}\n  fix: {}\n", p.user, p.node, p.what, p.fix);
  if (problems->empty()) {
    auto checked = names->empty() ? cluster::recorded_users() : *names;
    std::size_t nodes = inventory->nodes().size();
    if (checked.empty()) fmt::print("users check: no user to check ('beowulf users add' records the users it makes)\n");
    else
      fmt::print("users check: {} user{} the same on every node ({} node{})\n", checked.size(),
                 checked.size() == 1 ? "" : "s", nodes, nodes == 1 ? "" : "s");
  }
  return problems->empty() ? exit_ok : exit_failed;
}

}  // namespace

Run attach_users(CLI::App& sub) {
  auto o = std::make_shared<Options>();
  o->pace.timeout_seconds = 60;
  sub.require_subcommand(1);
  sub.footer("Example:\n  beowulf users add student[01-30] --password-file class-password\n  beowulf users check");
  auto sudo_file = [o](CLI::App* app) {
    o->sudo_password.attach(*app, "--sudo-password-file", "");
    o->pace.attach_pace(*app, "per node and step", 1);
  };
  auto* add = sub.add_subcommand("add", "the same account on every member: name, UID, GID, home, shell, ssh key");
  add->add_option("names", o->names, "user names, node-set grammar: student[01-30]")->required()->type_name("NAME");
  add->add_option("--uid", o->uid, "the first user's UID (the others take the next ones); default: the next free")
      ->type_name("N");
  add->add_option("--password-file", o->password_file, "the new accounts' password, from FILE (mode 0600)")
      ->type_name("FILE");
  add->add_flag("--password-stdin", o->password_stdin, "the new accounts' password, from standard input's first line");
  sudo_file(add);
  add->footer(
      "Reads every member's accounts first: a bad name, a name that exists or a UID some node\n"
      "uses is refused before anything changes. Each user gets, on every member, the same UID\n"
      "and GID (the next free on all of them), /home/NAME and /bin/bash, one ssh key trusted\n"
      "on every member, and on the master its ~/.beowulf/cluster.toml, so 'beowulf run' and\n"
      "mpiexec work for it at once. Without a password the accounts log in by key only; a\n"
      "password is stored hashed (chpasswd).\n\n"
      "Example:\n  beowulf users add student[01-30] --password-file class-password");
  auto* remove = sub.add_subcommand("remove", "remove accounts and their homes from every member");
  remove->add_option("names", o->names, "user names: student[01-30]")->required()->type_name("NAME");
  sudo_file(remove);
  remove->footer(
      "userdel refuses a user who still has processes on a node (a login, a job): end them first.\n\n"
      "Example:\n  beowulf users remove student[01-30]");
  auto* check = sub.add_subcommand("check", "the accounts beowulf made, compared on every member");
  check->add_option("names", o->names, "user names (default: those 'users add' made)")->type_name("NAME");
  check->add_flag("--fix", o->fix, "mend what differs: the master's UID and GID, missing homes and accounts");
  sudo_file(check);
  check->footer(
      "Finds a user missing on a node, a UID or GID that differs from the master's, a missing\n"
      "home, each with the node and the fix. Nothing changes without --fix.\n"
      "Exit status: 0 when every account agrees, 1 otherwise.\n\n"
      "Example:\n  beowulf users check\n  beowulf users check --fix student07");
  return [o, add, remove, check] {
    if (add->parsed()) return run_add(*o);
    if (remove->parsed()) return run_remove(*o);
    if (check->parsed()) return run_check(*o);
    return static_cast<int>(exit_usage);
  };
}

}  // namespace beowulf::cli
