#include "cluster/add.h"

#include <fmt/core.h>

#include <algorithm>
#include <cctype>
#include <memory>
#include <set>

#include "cluster/bootstrap_plan.h"
#include "cluster/cluster_sync.h"
#include "cluster/host_key.h"
#include "cluster/host_key_pin.h"
#include "cluster/members.h"
#include "cluster/node_facts.h"
#include "cluster/node_step.h"
#include "cluster/remote_script.h"
#include "cluster/wait_for_ssh.h"
#include "core/address.h"
#include "remote/askpass.h"
#include "sys/atomic_file.h"
#include "sys/inventory_file.h"
#include "sys/password_input.h"
#include "sys/paths.h"
#include "sys/temp_dir.h"

namespace beowulf::cluster {
namespace {

/// Everything the steps share.
struct Context {
  const AddOptions& options;
  Inventory inventory;
  Node master;
  remote::FanOutOptions fan;
  remote::Ssh key_ssh;      ///< BatchMode, through the ControlMaster sockets
  remote::Ssh contact_ssh;  ///< first contact: a fresh connection, key then password, pinned keys only
  remote::Ssh pinned_ssh;   ///< BatchMode, the pinned keys only: opens the targets' ControlMaster sockets
  std::string pinned_file;  ///< the temporary known_hosts holding the pinned keys
  FactsByName facts;
  std::map<std::string, HostKeyPin> pins;
  std::map<std::string, Node> joining;  ///< the nodes to add by name, as the inventory will record them
};

/// First contact: a fresh connection that tries the key, then the password (askpass),
/// and trusts only the pinned host keys in `pinned_file`.
remote::Ssh first_contact_ssh(const std::string& pinned_file) {
  return remote::Ssh({.known_hosts = pinned_file, .first_contact = true, .pinned = true, .multiplex = false});
}

/// Key login in BatchMode that trusts only the pinned host keys: it opens the targets'
/// ControlMaster sockets.
remote::Ssh pinned_key_ssh(const std::string& pinned_file) {
  return remote::Ssh({.known_hosts = pinned_file, .pinned = true});
}

/// The master's public key as the authorized_keys block writes it: "TYPE BASE64 NAME".
Result<std::string> master_key_line(const std::string& master_name) {
  std::string path = sys::home_directory() + "/.ssh/id_ed25519.pub";
  auto text = sys::read_file(path);
  if (!text.ok()) return Error{fmt::format("no key to authorize: {}", sys::display_path(path)), "", "run 'beowulf init' first"};
  std::string key = public_key_of(*text);
  if (key.empty()) return Error{fmt::format("{} holds no public key", sys::display_path(path))};
  return key + " " + master_name;
}

/// The addresses, checked: usable, in the cluster's subnet. Bad input changes nothing.
Result<std::vector<Ipv4>> checked_addresses(const std::vector<std::string>& addresses, const Inventory& inventory) {
  if (addresses.empty()) return bad_input("no node to add", "example: beowulf add 198.18.0.[11-13]");
  std::vector<Ipv4> out;
  for (const auto& text : addresses) {
    auto address = parse_ipv4(text);
    if (!address.ok()) return address.error();
    Subnet subnet = inventory.subnet().value_or(subnet_of(*address));
    if (!subnet.contains(*address))
      return bad_input(fmt::format("{} is not in the cluster's subnet {}", text, subnet.str()),
                       "give addresses of the master's network");
    if (Status s = check_node_address(*address, subnet); !s.ok()) return s.error();
    out.push_back(*address);
  }
  return out;
}

/// Why `n`'s job (run by `ssh`) failed; a changed host key also names the recorded and
/// the offered fingerprints.
Error explained(const Context& c, const remote::Ssh& ssh, const StepNode& n, const remote::NodeRun& run) {
  remote::ExplainOptions how{.password_login = ssh.settings().first_contact};
  Error e = remote::explain(run, n.target, how);
  auto failure = remote::ssh_failure(run, n.target, how);
  if (failure && failure->failure == remote::SshFailure::host_key_changed) {
    auto pin = c.pins.find(n.name());
    std::string recorded = pin != c.pins.end() ? pin->second.fingerprint : "?";
    std::string offered = offered_fingerprint(run.err);
    e.what += fmt::format(" (recorded {}, offered {})", recorded, offered.empty() ? "?" : offered);
  }
  return e;
}

/// Reads the gather answer of `n` into c.facts.
Status keep_facts(Context& c, StepNode& n, const remote::NodeRun& run) {
  auto parsed = parse_node_facts(run.out);
  if (!parsed.ok()) return parsed.error();
  c.facts[n.name()] = std::move(*parsed);
  return {};
}

/// The host keys each target offers (ssh-keyscan: the key exchange, nothing secret).
std::map<std::string, HostKeys> scan_targets(Context& c, std::vector<StepNode>& targets) {
  std::map<std::string, HostKeys> offered;
  run_step(
      pointers(targets), "check host key", c.fan, [&](StepNode& n) { return keyscan_job(n.target.address); },
      [&](StepNode& n, const remote::NodeRun& run) -> Status {
        auto keys = scanned_keys(run.out);
        if (!keys.ok()) return keys.error();
        offered[n.name()] = std::move(*keys);
        return {};
      });
  return offered;
}

/// Fails when `address` offers another key than the one the user was shown for it.
Status still_listed(const AddOptions& options, const std::string& address, const HostKeys& offered) {
  auto listed = options.listed_host_keys.find(address);
  if (listed == options.listed_host_keys.end()) return {};
  if (std::find(offered.prints.begin(), offered.prints.end(), listed->second) != offered.prints.end()) return {};
  return Error{fmt::format("the node's host key changed since it was listed (listed {}, offered {}): refused before "
                           "any password or key was sent",
                           listed->second, recorded_fingerprint(offered.keys, offered.prints)),
               "", "run 'beowulf discover --add' again and check the keys it lists"};
}

/// Step 0: the key each target may be first contacted with (see host_key_pin.h), written
/// to c.pinned_file. A node that offered no key is left unpinned (unless its keys were
/// planned): ssh then fails at first contact for the reason it could not connect. Writes
/// nothing to any node.
Status pin_host_keys(Context& c, std::vector<StepNode>& targets) {
  auto offered = scan_targets(c, targets);
  std::string lines;
  for (auto& n : targets) {
    if (!n.ok()) continue;
    const Node* known = c.inventory.find(c.joining.at(n.name()).address);
    HostKeys planned;
    if (known != nullptr && !known->host_keys.empty()) {
      auto prints = fingerprints(known->host_keys);
      if (!prints.ok()) return prints.error();
      planned = {known->host_keys, *prints};
    }
    if (offered[n.name()].keys.empty()) {  // no answer yet: only keys known beforehand can be pinned
      if (!planned.keys.empty()) {
        for (const auto& key : planned.keys) lines += n.target.address + " " + key + "\n";
        c.pins[n.name()] = {planned.keys, recorded_fingerprint(planned.keys, planned.prints)};
      }
      continue;
    }
    if (Status s = still_listed(c.options, n.target.address, offered[n.name()]); !s.ok()) {
      n.fail("check host key", s.error().what, s.error().hint);
      continue;
    }
    auto pin = choose_pin(known, planned, offered[n.name()], c.options.new_host_keys);
    if (!pin.ok()) {
      n.fail("check host key", pin.error().what, pin.error().hint);
      continue;
    }
    for (const auto& key : pin->keys) lines += n.target.address + " " + key + "\n";
    c.pins[n.name()] = std::move(*pin);
  }
  return sys::write_file_atomically(c.pinned_file, lines, 0600);
}

/// First contact when no password was given (planned cards carry the master's key): key
/// login only, against the pinned keys, on a fresh connection.
Status first_contact_by_key(Context& c, std::vector<StepNode>& targets, const std::string& key_line) {
  remote::Ssh ssh({.known_hosts = c.pinned_file, .pinned = true, .multiplex = false});
  run_step(
      pointers(targets), "first contact", c.fan,
      [&](StepNode& n) {
        std::string script = "(\n" + authorize_key_script(key_line) + ") || exit 1\n" + gather_script(n.name());
        return ssh.run(n.target, script);
      },
      [&](StepNode& n, const remote::NodeRun& run) -> Status {
        if (run.outcome.ok()) return keep_facts(c, n, run);
        return explained(c, ssh, n, run);
      });
  return {};
}

/// Waits for each target's sshd (planned boards boot after their card was burned); a
/// board that does not come up in time fails step "wait for the board".
void wait_for_boards(Context& c, std::vector<StepNode>& targets, const AddProgress& progress) {
  std::vector<std::string> addresses;
  for (const auto& t : targets) addresses.push_back(t.target.address);
  WaitOptions wait{.timeout = c.options.wait_timeout, .cancel_fd = c.options.cancel_fd};
  wait.progress = [&](std::size_t up, std::size_t total, std::chrono::seconds waited) {
    if (progress) progress(fmt::format("waiting for the boards to come up: {} of {} up after {} s", up, total,
                                       waited.count()),
                           total);
  };
  auto up = wait_for_ssh(addresses, wait);
  for (std::size_t i = 0; i < targets.size(); ++i)
    if (!up[i])
      targets[i].fail("wait for the board", fmt::format("no ssh answer within {} s", c.options.wait_timeout.count()),
                      "check that its card is in, the board powered and on the network, then run "
                      "'beowulf add --planned' again");
}

/// Steps 1 and 2, first contact: one fresh connection per node that tries the master's
/// key and only then the password (through the askpass helper, so a node that trusts us
/// already is never sent it), trusts only the node's pinned key (ssh refuses any other
/// before it authenticates), puts the master's key in authorized_keys and gathers the
/// node's facts.
Status first_contact(Context& c, std::vector<StepNode>& targets, const std::string& key_line) {
  if (c.options.password.empty()) return first_contact_by_key(c, targets, key_line);
  remote::AskpassOptions askpass{c.options.askpass_helper, targets.size()};
  auto server = remote::AskpassServer::start(c.options.password, askpass);
  if (!server.ok()) return server.error();
  auto env = (*server)->environment();
  run_step(
      pointers(targets), "first contact", c.fan,
      [&](StepNode& n) {
        std::string script = "(\n" + authorize_key_script(key_line) + ") || exit 1\n" + gather_script(n.name());
        auto spec = c.contact_ssh.run(n.target, script);
        for (const auto& [name, value] : env) spec.env[name] = value;
        return spec;
      },
      [&](StepNode& n, const remote::NodeRun& run) -> Status {
        if (run.outcome.ok()) return keep_facts(c, n, run);
        return explained(c, c.contact_ssh, n, run);
      });
  return {};
}

/// Step 3: key login proved in BatchMode, against the pinned key, before anything changes
/// (the connection stays open as the node's ControlMaster for the steps after). The
/// fingerprint recorded is the pinned one: ssh verified it in the handshake.
void prove_key_login(Context& c, std::vector<StepNode>& targets) {
  run_step(
      pointers(targets), "prove key login", c.fan,
      [&](StepNode& n) { return c.pinned_ssh.run(n.target, "true"); },
      [&](StepNode& n, const remote::NodeRun& run) -> Status {
        if (run.outcome.ok()) return {};
        return explained(c, c.pinned_ssh, n, run);
      });
}

/// Step 9: master to node in BatchMode, then node to master by name on a fresh connection.
void prove(Context& c, std::vector<StepNode*> nodes, std::map<std::string, std::string>& hostnames) {
  run_step(
      nodes, "prove", c.fan, [&](StepNode& n) { return c.key_ssh.run(n.target, prove_script(c.master.name)); },
      [&](StepNode& n, const remote::NodeRun& run) -> Status {
        std::string node_name = run.out.substr(0, run.out.find('\n'));
        hostnames[n.name()] = node_name;
        if (run.outcome.exit_code == 255 && node_name.empty()) return remote::explain(run, n.target);
        if (!run.outcome.ok())
          return Error{fmt::format("{} cannot ssh to the master {}: {}", n.name(), c.master.name,
                                   run.err.empty() ? "no reason given" : run.err.substr(0, run.err.find('\n'))),
                       "", "check that the master's sshd runs and allows key login"};
        if (node_name != n.name())
          return Error{fmt::format("the node calls itself '{}', not '{}'", node_name, n.name())};
        return {};
      });
}

/// The inventory with the nodes of `targets` that are still ok; a node the inventory
/// refuses fails step "record".
Inventory with_targets(const Context& c, std::vector<StepNode>& targets) {
  Inventory out = c.inventory;
  for (auto& n : targets) {
    if (!n.ok()) continue;
    Node node = c.joining.at(n.name());
    node.slots = c.facts.at(n.name()).cores;
    node.arch = c.facts.at(n.name()).arch;
    auto pin = c.pins.find(n.name());
    if (pin == c.pins.end()) {  // cannot happen: first contact trusts only a pinned key
      n.fail("record", "no host key was pinned");
      continue;
    }
    node.host_key = pin->second.fingerprint;
    if (const Node* known = out.find(node.name)) {
      node.board = known->board;
      if (!known->host_keys.empty()) node.host_keys = pin->second.keys;
    }
    if (Status s = out.put(node); !s.ok()) n.fail("record", s.error().what);
  }
  return out;
}

/// Takes the targets that failed after the blocks went out out of them again: each node
/// of `nodes` still ok is gathered afresh (its files changed since) and given the tables of
/// `inventory`, which names none of the failed. The boards' password is not sent: the
/// nodes added in this run were given password-less sudo. A node that cannot be put right
/// fails step "take back the failed nodes".
void take_back(Context& c, const std::vector<StepNode*>& nodes, const Inventory& inventory) {
  std::vector<StepNode> again;
  for (const StepNode* n : nodes)
    if (n->ok()) again.push_back({n->target, std::nullopt});
  FactsByName facts;
  gather_facts(pointers(again), c.key_ssh, c.fan, "gather", facts);
  if (facts.count(c.master.name) > 0) {
    auto tables = make_tables(member_keys(inventory, facts, facts.at(c.master.name)));
    apply_tables(pointers(again), facts, tables, c.key_ssh, c.fan, {});
  }
  for (const StepNode& a : again) {
    if (a.ok() && facts.count(c.master.name) > 0) continue;
    for (StepNode* n : nodes)
      if (n->name() == a.name()) {
        n->error = a.error.value_or(Error{"gather: the master did not answer", a.label()});
        n->error->what = "take back the failed nodes: " + n->error->what;
      }
  }
}

/// The names of the nodes of `targets` still ok.
std::set<std::string> ok_names(const std::vector<StepNode>& targets) {
  std::set<std::string> out;
  for (const auto& t : targets)
    if (t.ok()) out.insert(t.name());
  return out;
}

/// A login name ssh and the boards accept: letters, digits, '_', '-', '.', not starting
/// with '-' (ssh would read it as an option), at most 32 characters.
bool is_user_name(std::string_view name) {
  return name.size() <= 32 && name.front() != '-' && std::all_of(name.begin(), name.end(), [](char c) {
           return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.';
         });
}

/// What add starts from: the inventory, its master, the plan, and the nodes to add as the
/// inventory will record them.
struct Start {
  Inventory inventory;
  Node master;
  BootstrapPlan plan;
  std::vector<Node> joining;
};

/// The nodes to add, as the plan names them (`addresses`: their checked addresses), each
/// logging in as --user, else as the user its planned card was made for, else as the
/// master's user.
std::vector<Node> joining_nodes(const AddOptions& options, const Inventory& inventory, const BootstrapPlan& plan,
                                const std::vector<Ipv4>& addresses, const Node& master) {
  std::vector<Node> out;
  for (const auto& t : plan.targets) {
    const Node* known = inventory.find(t.name);
    bool own_user = options.user.empty() && known != nullptr && !known->user.empty();
    Node node;
    node.name = t.name;
    // plan_bootstrap took its targets' addresses from `addresses`: one of them is this one.
    node.address = *std::find_if(addresses.begin(), addresses.end(), [&](Ipv4 a) { return a.str() == t.address; });
    node.user = own_user ? known->user : options.user.empty() ? master.user : options.user;
    out.push_back(std::move(node));
  }
  return out;
}

Result<Start> start(const AddOptions& options) {
  auto inventory = sys::load_inventory(sys::inventory_path());
  if (!inventory.ok()) return inventory.error();
  const Node* master = inventory->master();
  if (master == nullptr) return Error{"the inventory has no master", "", "run 'beowulf init' on the master first"};
  if (!options.user.empty() && !is_user_name(options.user))
    return bad_input(fmt::format("--user '{}' is not a user name", options.user),
                     "a user name is letters, digits, '_', '-' and '.', at most 32, as on the boards: --user linaro");
  for (const auto& print : options.new_host_keys)
    if (!is_sha256_fingerprint(print))
      return bad_input(fmt::format("--new-host-key '{}' is not a host key fingerprint", print),
                       fmt::format("give it as the board's console prints it with '{}': SHA256:...",
                                   kConsoleFingerprint));
  auto addresses = checked_addresses(options.addresses, *inventory);
  if (!addresses.ok()) return addresses.error();
  auto pattern = NamePattern::parse(options.names);
  if (!pattern.ok()) return pattern.error();
  std::vector<NamedNode> known = named_nodes(*inventory);  // planned nodes keep their names too
  for (const Node* p : planned_of(*inventory)) known.push_back({p->name, p->address.str()});
  std::vector<std::string> texts;
  for (Ipv4 a : *addresses) texts.push_back(a.str());
  auto plan = plan_bootstrap(known, texts, *pattern);
  if (!plan.ok()) return plan.error();
  return Start{*inventory, *master, *plan, joining_nodes(options, *inventory, *plan, *addresses, *master)};
}

/// The members that are not being added: the master first (its steps run here), then
/// the workers (over their sockets).
std::vector<StepNode> other_members(const Inventory& inventory, const Node& master,
                                    const std::vector<StepNode>& targets) {
  std::vector<StepNode> members;
  members.push_back(StepNode{remote::target_of(master)});
  for (const Node* w : inventory.workers())
    if (std::none_of(targets.begin(), targets.end(), [&](const StepNode& t) { return t.name() == w->name; }))
      members.push_back(StepNode{remote::target_of(*w)});
  return members;
}

}  // namespace

Result<std::vector<std::string>> check_add(const AddOptions& options) {
  auto s = start(options);
  if (!s.ok()) return s.error();
  std::vector<std::string> names;
  for (const auto& t : s->plan.targets) names.push_back(t.name);
  return names;
}

Result<std::vector<std::string>> planned_addresses() {
  auto inventory = sys::load_inventory(sys::inventory_path());
  if (!inventory.ok()) return inventory.error();
  std::vector<std::string> out;
  for (const Node* p : planned_of(*inventory)) out.push_back(p->address.str());
  if (out.empty())
    return bad_input("no planned node in the inventory",
                     "cards written by 'beowulf image prepare' or 'beowulf image burn' are planned nodes");
  return out;
}

bool AddReport::ok() const {
  return std::all_of(nodes.begin(), nodes.end(), [](const AddedNode& n) { return !n.error; });
}

Result<AddReport> add_nodes(const AddOptions& options, const AddProgress& progress) {
  auto report_step = [&](std::string_view step, std::size_t n) {
    if (progress) progress(step, n);
  };
  auto started = start(options);
  if (!started.ok()) return started.error();
  const Inventory* inventory = &started->inventory;
  const Node* master = &started->master;
  auto key_line = master_key_line(master->name);
  if (!key_line.ok()) return key_line.error();
  if (Status s = remote::ensure_control_dir(remote::default_control_dir()); !s.ok()) return s.error();

  sys::TempDir pinned_dir("beowulf-add");
  if (pinned_dir.path().empty()) return Error{"cannot make a temporary folder for the pinned host keys"};
  std::string pinned_file = pinned_dir.path() + "/known_hosts";
  Context c{options,
            *inventory,
            *master,
            {},
            remote::Ssh(),
            first_contact_ssh(pinned_file),
            pinned_key_ssh(pinned_file),
            pinned_file,
            {},
            {}};
  c.fan.fanout = options.fanout;
  c.fan.timeout = options.timeout;
  c.fan.cancel_fd = options.cancel_fd;
  c.fan.transport = options.transport;
  std::vector<StepNode> targets;
  for (const Node& node : started->joining) {
    c.joining[node.name] = node;
    targets.push_back(StepNode{remote::target_of(node)});
  }
  if (options.wait_for_boards) wait_for_boards(c, targets, progress);
  report_step("check host key", targets.size());
  if (Status s = pin_host_keys(c, targets); !s.ok()) return s.error();
  report_step("first contact", targets.size());
  if (Status s = first_contact(c, targets, *key_line); !s.ok()) return s.error();
  report_step("prove key login", targets.size());
  prove_key_login(c, targets);

  AddReport report;
  auto report_targets = [&] {
    for (const auto& t : targets) report.nodes.push_back({t.name(), t.target.address, "", t.error});
    return report;
  };
  if (std::none_of(targets.begin(), targets.end(), [](const StepNode& t) { return t.ok(); })) return report_targets();

  std::vector<StepNode> members = other_members(*inventory, *master, targets);
  report_step("gather", members.size());
  gather_facts(pointers(members), c.key_ssh, c.fan, "gather", c.facts);
  if (!members.front().ok()) return *members.front().error;

  Inventory after = in_name_order(with_targets(c, targets));
  auto tables = make_tables(member_keys(after, c.facts, c.facts.at(master->name)));
  std::vector<StepNode*> everyone = pointers(members);
  for (auto& t : targets) everyone.push_back(&t);
  report_step("update files", everyone.size());
  std::set<std::string> sent = ok_names(targets);  // the nodes the blocks now name
  SudoPassword sudo{options.password, sent, true};
  apply_tables(everyone, c.facts, tables, c.key_ssh, c.fan, sudo);
  sys::wipe(sudo.password);
  if (!members.front().ok()) return master_update_failure(*members.front().error, "add");

  std::map<std::string, std::string> hostnames;
  std::vector<StepNode*> workers(everyone.begin() + 1, everyone.end());
  report_step("prove", workers.size());
  prove(c, workers, hostnames);

  Inventory final_inventory = c.inventory;
  for (const auto& t : targets)
    if (t.ok()) (void)final_inventory.put(*after.find(t.name()));
  if (ok_names(targets) != sent) {
    report_step("take back the failed nodes", everyone.size());
    take_back(c, everyone, in_name_order(final_inventory));
  }
  if (Status s = write_master_files(in_name_order(final_inventory)); !s.ok()) return s.error();

  for (const auto& t : targets) report.nodes.push_back({t.name(), t.target.address, hostnames[t.name()], t.error});
  for (const auto& m : members)  // the master fails here only in take_back
    if (!m.ok()) report.nodes.push_back({m.name(), m.target.address, hostnames[m.name()], m.error});
  return report;
}

}  // namespace beowulf::cluster
