#include "cluster/users_workflow.h"

#include <fmt/core.h>

#include <algorithm>
#include <set>
#include <sstream>

#include "cluster/node_command.h"
#include "cluster/node_step.h"
#include "cluster/remote_script.h"
#include "cluster/users_script.h"
#include "remote/fan_out.h"
#include "sys/atomic_file.h"
#include "sys/paths.h"
#include "sys/process.h"
#include "sys/temp_dir.h"

namespace beowulf::cluster {
namespace {

remote::FanOutOptions fan_options(const UsersOptions& o) {
  return {.fanout = o.fanout, .timeout = o.timeout, .cancel_fd = o.cancel_fd};
}

std::string users_file() { return sys::beowulf_home() + "/users"; }

Status write_recorded(const std::vector<std::string>& names) {
  std::string text;
  for (const auto& n : names) text += n + "\n";
  return sys::write_file_atomically(users_file(), text, 0644);
}

/// The host keys of this user's ~/.ssh/known_hosts (the cluster's, as `add` wrote them),
/// without its comments: they go inside the new user's own beowulf block.
std::string known_host_lines() {
  auto known = sys::read_file(sys::home_directory() + "/.ssh/known_hosts");
  std::string out;
  if (!known.ok()) return out;
  std::istringstream in(*known);
  for (std::string line; std::getline(in, line);)
    if (!line.empty() && line[0] != '#') out += line + "\n";
  return out;
}

/// A fresh ed25519 key pair for `name`, made here with ssh-keygen.
Result<UserKeys> make_keys(const std::string& name, const std::string& cluster) {
  sys::TempDir dir("beowulf-user-key");
  if (dir.path().empty()) return Error{"make a key: no temporary folder"};
  std::string key = dir.path() + "/id_ed25519";
  auto made = sys::run({.argv = {"ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name + "@" + cluster, "-f", key}});
  if (!made.ok()) return made.error();
  if (made->exit_code != 0) return Error{fmt::format("ssh-keygen for {} failed: {}", name, made->err)};
  auto private_key = sys::read_file(key);
  auto public_key = sys::read_file(key + ".pub");
  if (!private_key.ok()) return private_key.error();
  if (!public_key.ok()) return public_key.error();
  return UserKeys{*private_key, *public_key, known_host_lines()};
}

/// `inventory` as `user` sees it: every node logged in to as that user.
std::string inventory_for(const Inventory& inventory, const std::string& user) {
  Inventory copy = inventory;
  for (Node node : inventory.nodes()) {
    node.user = user;
    (void)copy.put(node);
  }
  return write_inventory(copy);
}

/// Runs the root script `script_for(node index)` on every member through `sudo -n` (no
/// sudo password goes anywhere), `input` on its stdin; one UsersNode each.
std::vector<UsersNode> run_as_root(const std::vector<Node>& members, const remote::Ssh& ssh, const std::string& input,
                                   const UsersOptions& options,
                                   const std::function<std::optional<std::string>(std::size_t)>& script_for) {
  std::vector<StepNode> nodes = step_nodes(members);
  std::vector<UsersNode> out;
  for (const auto& m : members) out.push_back({m.name, m.address.str(), {}, std::nullopt});
  run_step(
      pointers(nodes), "users", fan_options(options),
      [&](StepNode& n) -> std::optional<sys::ProcessSpec> {
        auto script = script_for(&n - nodes.data());
        if (!script) return std::nullopt;
        auto spec = ssh.run(n.target, sudo_n_script(*script));
        spec.input = input;
        return spec;
      },
      [&](StepNode& n, const remote::NodeRun& run) -> Status {
        std::istringstream lines(run.out);
        for (std::string line; std::getline(lines, line);)
          if (line.starts_with("change ")) out[&n - nodes.data()].changes.push_back(line.substr(7));
        if (!run.outcome.ok()) return remote::explain(run, n.target);
        return {};
      });
  for (std::size_t i = 0; i < nodes.size(); ++i) out[i].error = nodes[i].error;
  return out;
}

}  // namespace

AccountsRead read_each_accounts(const std::vector<Node>& members, const remote::Ssh& ssh,
                                const std::vector<std::string>& names, const UsersOptions& options) {
  const std::string script = accounts_script(names);
  std::vector<remote::Job> jobs;
  for (const auto& m : members) jobs.push_back(command_job(ssh, m, script));
  auto runs = remote::FanOut(fan_options(options)).collect(jobs);
  AccountsRead out;
  for (std::size_t i = 0; i < members.size(); ++i) {
    if (!runs[i].outcome.ok()) {
      auto line = remote::failure_line(remote::target_of(members[i]), runs[i].outcome, runs[i].err, options.timeout);
      out.failures.push_back(Error{"read accounts: " + (line ? *line : runs[i].err), members[i].label(),
                                   "every member must answer: its accounts decide the UID"});
      continue;
    }
    auto parsed = parse_node_accounts(runs[i].out);
    if (parsed.ok()) out.accounts[members[i].name] = *parsed;
    else out.failures.push_back(Error{parsed.error().what, members[i].label()});
  }
  return out;
}

Result<std::map<std::string, NodeAccounts>> read_accounts(const std::vector<Node>& members, const remote::Ssh& ssh,
                                                          const std::vector<std::string>& names,
                                                          const UsersOptions& options) {
  auto read = read_each_accounts(members, ssh, names, options);
  if (!read.failures.empty()) return read.failures.front();
  return read.accounts;
}

Result<std::vector<Account>> check_users_add(const Inventory& inventory, const remote::Ssh& ssh,
                                             const UsersAddRequest& request, const UsersOptions& options) {
  if (request.names.empty()) return bad_input("no user to add", "example: beowulf users add student[01-03]");
  for (const auto& name : request.names)
    if (Status s = check_user_name(name); !s.ok()) return s.error();
  if (request.uid && (*request.uid < kFirstUid || *request.uid > kLastUid))
    return bad_input(fmt::format("--uid {}: ordinary accounts have UIDs {} to {}", *request.uid, kFirstUid, kLastUid));
  auto accounts = read_accounts(inventory.nodes(), ssh, request.names, options);
  if (!accounts.ok()) return accounts.error();
  return plan_accounts(request.names, request.uid, *accounts);
}

Result<std::vector<UsersNode>> users_add(const Inventory& inventory, const remote::Ssh& ssh,
                                         const UsersAddRequest& request,
                                         const UsersOptions& options) {
  auto plan = check_users_add(inventory, ssh, request, options);
  if (!plan.ok()) return plan.error();
  std::vector<UserChange> changes;
  for (const auto& account : *plan) {
    auto keys = make_keys(account.name, inventory.master()->name);
    if (!keys.ok()) return keys.error();
    changes.push_back({.account = account, .create = true, .keys = *keys});
  }
  std::string input = request.password ? *request.password + "\n" : "";
  const auto& members = inventory.nodes();
  auto done = run_as_root(members, ssh, input, options, [&](std::size_t i) -> std::optional<std::string> {
    std::vector<UserChange> here = changes;
    if (members[i].role == Role::master)
      for (auto& c : here) c.extra_file = inventory_for(inventory, c.account.name);
    return users_apply_script(here, request.password.has_value());
  });
  std::vector<std::string> recorded = recorded_users();
  for (const auto& a : *plan)
    if (std::find(recorded.begin(), recorded.end(), a.name) == recorded.end()) recorded.push_back(a.name);
  if (Status s = write_recorded(recorded); !s.ok()) return s.error();
  return done;
}

std::vector<UsersNode> users_remove(const Inventory& inventory, const remote::Ssh& ssh,
                                    const std::vector<std::string>& names,
                                    const UsersOptions& options) {
  auto done = run_as_root(inventory.nodes(), ssh, "", options,
                          [&](std::size_t) -> std::optional<std::string> { return users_remove_script(names); });
  bool all_ok = std::none_of(done.begin(), done.end(), [](const UsersNode& n) { return n.error.has_value(); });
  if (all_ok) {
    std::vector<std::string> kept;
    for (const auto& n : recorded_users())
      if (std::find(names.begin(), names.end(), n) == names.end()) kept.push_back(n);
    (void)write_recorded(kept);
  }
  return done;
}

std::vector<std::string> recorded_users() {
  std::vector<std::string> out;
  auto text = sys::read_file(users_file());
  if (!text.ok()) return out;
  std::istringstream in(*text);
  for (std::string line; std::getline(in, line);)
    if (!line.empty() && check_user_name(line).ok()) out.push_back(line);
  return out;
}

Result<std::vector<UserProblem>> find_user_problems(const Inventory& inventory, const std::vector<Node>& members,
                                             const remote::Ssh& ssh, std::vector<std::string> names,
                                             const UsersOptions& options) {
  if (names.empty()) names = recorded_users();
  for (const auto& name : names)
    if (Status s = check_user_name(name); !s.ok()) return s.error();
  auto accounts = read_accounts(members, ssh, names, options);
  if (!accounts.ok()) return accounts.error();
  const Node* master = inventory.master();
  return check_accounts(names, master ? master->name : "", *accounts);
}

Result<std::vector<UsersNode>> fix_users(const Inventory& inventory, const remote::Ssh& ssh,
                                         std::vector<std::string> names,
                                         const UsersOptions& options) {
  if (names.empty()) names = recorded_users();
  const auto& members = inventory.nodes();
  auto accounts = read_accounts(members, ssh, names, options);
  if (!accounts.ok()) return accounts.error();
  const Node* master = inventory.master();
  auto problems = check_accounts(names, master->name, *accounts);
  // node -> user -> its change there
  std::map<std::string, std::map<std::string, UserChange>> changes;
  std::set<std::string> broken;
  for (const auto& p : problems) broken.insert(p.user);
  for (const auto& user : broken) {
    const Account* reference = nullptr;
    if (accounts->at(master->name).users.count(user)) reference = &accounts->at(master->name).users.at(user);
    for (const auto& [node, a] : *accounts)
      if (!reference && a.users.count(user)) reference = &a.users.at(user);
    auto keys = make_keys(user, master->name);
    if (!keys.ok()) return keys.error();
    for (const auto& m : members) {
      UserChange& c = changes[m.name][user];
      c.account = *reference;
      c.keys = *keys;
      const NodeAccounts& here = accounts->at(m.name);
      auto it = here.users.find(user);
      c.create = it == here.users.end();
      c.fix_ids = !c.create && (it->second.uid != reference->uid || it->second.gid != reference->gid);
      c.make_home = !c.create && !here.homes_present.count(user);
      if (!c.create) c.account.home = it->second.home;
      if (m.role == Role::master) c.extra_file = inventory_for(inventory, user);
    }
  }
  return run_as_root(members, ssh, "", options, [&](std::size_t i) -> std::optional<std::string> {
    auto it = changes.find(members[i].name);
    if (it == changes.end()) return std::nullopt;
    std::vector<UserChange> here;
    for (const auto& [user, change] : it->second) here.push_back(change);
    return users_apply_script(here, false);
  });
}

}  // namespace beowulf::cluster
