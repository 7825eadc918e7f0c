// beowulf add: makes boards members of the cluster (src/cluster/add.h).

#include <unistd.h>

#include <fmt/core.h>

#include <memory>

#include "cli/add_command.h"
#include "cli/command.h"
#include "cli/interrupt.h"
#include "cli/password_options.h"
#include "cli/report.h"
#include "cli/slurm_follow_up.h"
#include "cluster/add.h"
#include "core/nodeset.h"
#include "core/printable.h"
#include "sys/inventory_file.h"
#include "sys/password_input.h"
#include "sys/paths.h"

namespace beowulf::cli {
namespace {

struct Options {
  std::vector<std::string> nodes;
  cluster::AddOptions add;
  PasswordOptions password;
  bool slurm = false;  ///< --slurm
  int timeout_seconds = 60;
  bool planned = false;
  int wait_seconds = 600;
};

/// Every address the arguments name, in order; a malformed node set is bad input.
Result<NodeSet> parse_nodes(const std::vector<std::string>& args) {
  NodeSet all;
  for (const auto& arg : args) {
    auto set = NodeSet::parse(arg);
    if (!set.ok()) return set.error();
    all = all | *set;
  }
  return all;
}

/// The board user the prompt names: --user, else the master's.
std::string prompt_user(const std::string& user) {
  if (!user.empty()) return user;
  auto inventory = sys::load_inventory(sys::inventory_path());
  if (inventory.ok() && inventory->master() != nullptr) return inventory->master()->user;
  return "the boards";
}

void print_table(const cluster::AddReport& report) {
  std::size_t name_w = 4, address_w = 7, host_w = 8;
  for (const auto& n : report.nodes) {
    name_w = std::max(name_w, n.name.size());
    address_w = std::max(address_w, n.address.size());
    host_w = std::max(host_w, n.hostname.size());
  }
  fmt::print("{:<{}}  {:<{}}  {:<{}}  {}\n", "NODE", name_w, "ADDRESS", address_w, "HOSTNAME", host_w, "RESULT");
  for (const auto& n : report.nodes)
    fmt::print("{:<{}}  {:<{}}  {:<{}}  {}\n", n.name, name_w, n.address, address_w,
               n.hostname.empty() ? "-" : printable(n.hostname), host_w,
               n.error ? "failed: " + printable(n.error->what) : "ok");
}

}  // namespace

int add_and_report(cluster::AddOptions& add, const PasswordOptions& password_options, const std::string& nodes,
                   bool slurm) {
  if (auto checked = cluster::check_add(add); !checked.ok()) return report(checked.error());
  cluster::AddOptions o{add};
  sys::WipeWhenDone wipe_password(o.password);
  // Planned cards carry the master's key and password-less sudo: nothing to type.
  if (!add.wait_for_boards || password_options.given()) {
    auto password = password_options.read(fmt::format("Password for {}@{}: ", prompt_user(add.user), nodes));
    if (!password.ok()) return report(password.error());
    o.password = std::move(*password);
    sys::wipe(*password);
  }

  InterruptGuard interrupt;
  o.cancel_fd = interrupt.fd();
  bool tty = isatty(STDERR_FILENO) == 1;
  auto progress = [&](std::string_view step, std::size_t count) {
    if (tty) fmt::print(stderr, "\r\x1b[Kadd: {} ({} node{})", step, count, count == 1 ? "" : "s");
  };
  auto done = cluster::add_nodes(o, progress);
  sys::wipe(o.password);  // the boards' password went only to the new nodes: nothing after add needs it
  if (tty) fmt::print(stderr, "\r\x1b[K");
  if (interrupt.interrupted()) {
    fmt::print(stderr, "beowulf: interrupted: run the same 'beowulf add' again to finish\n");
    return exit_interrupted;
  }
  if (!done.ok()) return report(done.error());
  print_table(*done);
  int status = exit_ok;
  for (const auto& n : done->nodes)
    if (n.error) status = report(*n.error);
  if (status != exit_ok)
    fmt::print(stderr, "the nodes marked ok are members; run 'beowulf add' again for the others once fixed\n");
  return status == exit_ok ? slurm_follow_up(slurm) : status;
}

namespace {

int run_add(Options& o) {
  if (o.planned != o.nodes.empty())
    return report(bad_input(o.planned ? "give either addresses or --planned, not both" : "no node to add",
                            "example: beowulf add 198.18.0.[11-13], or beowulf add --planned"));
  if (o.planned) {
    auto planned = cluster::planned_addresses();
    if (!planned.ok()) return report(planned.error());
    o.nodes = *planned;
    o.add.wait_for_boards = true;
    o.add.wait_timeout = std::chrono::seconds(o.wait_seconds);
  }
  auto nodes = parse_nodes(o.nodes);
  if (!nodes.ok()) return report(nodes.error());
  o.add.addresses = nodes->expand();
  o.add.timeout = std::chrono::seconds(o.timeout_seconds);
  return add_and_report(o.add, o.password, nodes->fold(), o.slurm);
}

}  // namespace

Run attach_add(CLI::App& sub) {
  auto o = std::make_shared<Options>();
  sub.add_option("nodes", o->nodes, "the boards' addresses: 198.18.0.11, 198.18.0.[11-13]")
      ->type_name("ADDRESS|NODESET");
  sub.add_flag("--planned", o->planned,
               "add every planned node (cards written by 'image prepare' or 'image burn'): wait for each\n"
               "board to come up, then add it with the key its card carries; no password");
  sub.add_option("--wait", o->wait_seconds, "with --planned: seconds each board may take to come up")
      ->capture_default_str();
  sub.add_option("--user", o->add.user, "the boards' login user (default: the master's)");
  sub.add_option("--names", o->add.names, "names for new nodes: the next free ones of PATTERN")
      ->type_name("PATTERN")
      ->capture_default_str();
  sub.add_option("--new-host-key", o->add.new_host_keys,
                 "accept a re-imaged board's new host key: the fingerprint its console prints with\n"
                 "'ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub'")
      ->type_name("SHA256:...");
  o->password.attach(sub);
  sub.add_flag("--slurm", o->slurm, "when Slurm runs here, put the new nodes in its node list (beowulf slurm up)");
  sub.add_option("-f,--fanout", o->add.fanout, "nodes worked on at once")->check(CLI::Range(1, 4096))->capture_default_str();
  sub.add_option("-t,--timeout", o->timeout_seconds, "seconds a node may take per step")->capture_default_str();
  sub.footer(
      "Checks each board's ssh host key before anything is sent: a node the inventory knows\n"
      "must offer its recorded key (or the one made for its card), a new one is trusted on\n"
      "first use. Asks once for the boards' password (ssh first contact and sudo), then on\n"
      "every node at once: the master's key, key login proved, the hostname, /etc/hosts, keys and known\n"
      "hosts both ways, the master's ssh config, inventory and machine files; then it proves\n"
      "ssh master to node and node to master. Running it again finishes what failed.\n\n"
      "Examples:\n  beowulf add 198.18.0.[11-13] --user linaro\n"
      "  beowulf add --planned\n"
      "  beowulf add 198.18.0.13 --new-host-key SHA256:x0k6X/4k9ERcQazRdmGwvOacXwARfQo9OGXf0bY1g6Q");
  return [o] { return run_add(*o); };
}

}  // namespace beowulf::cli
