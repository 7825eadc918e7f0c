// beowulf remove: takes nodes out of the cluster (src/cluster/remove.h).

#include <fmt/core.h>

#include <memory>

#include "cli/command.h"
#include "cli/interrupt.h"
#include "cli/password_options.h"
#include "cli/report.h"
#include "cli/slurm_follow_up.h"
#include "cluster/remove.h"
#include "core/nodeset.h"

namespace beowulf::cli {
namespace {

struct Options {
  std::vector<std::string> nodes;
  cluster::RemoveOptions remove;
  UnneededPasswordOptions password;
  bool slurm = false;  ///< --slurm
};

int run_remove(Options& o) {
  NodeSet all;
  for (const auto& arg : o.nodes) {
    auto set = NodeSet::parse(arg);
    if (!set.ok()) return report(set.error());
    all = all | *set;
  }
  o.remove.nodes = all.expand();
  auto names = cluster::check_remove(o.remove.nodes);
  if (!names.ok()) return report(names.error());
  o.password.drop("remove");

  InterruptGuard interrupt;
  o.remove.cancel_fd = interrupt.fd();
  auto done = cluster::remove_nodes(o.remove);
  if (interrupt.interrupted()) {
    fmt::print(stderr, "beowulf: interrupted: run the same 'beowulf remove' again to finish\n");
    return exit_interrupted;
  }
  if (!done.ok()) return report(done.error());
  int status = exit_ok;
  for (const auto& n : done->removed) {
    fmt::print("removed {} ({}){}\n", n.name, n.address, o.remove.revoke && !n.error ? ", its keys revoked" : "");
    if (n.error) status = report(*n.error);
  }
  for (const auto& e : done->failures) status = report(e);
  return status == exit_ok ? slurm_follow_up(o.slurm, "") : status;
}

}  // namespace

Run attach_remove(CLI::App& sub) {
  auto o = std::make_shared<Options>();
  sub.add_option("nodes", o->nodes, "names or addresses of members: worker[002-003]")->required()->type_name("NODESET");
  sub.add_flag("--revoke", o->remove.revoke, "also remove the cluster's keys and host keys from the removed nodes");
  o->password.attach(sub);
  sub.add_flag("--slurm", o->slurm, "when Slurm runs here, take the nodes out of its node list (beowulf slurm up)");
  sub.footer(
      "Takes the nodes out of the inventory, of the other nodes' hosts, authorized_keys and\n"
      "known_hosts blocks, of the master's ssh config and of the machine files. No password\n"
      "is asked or sent: the master and the members change their /etc/hosts with 'sudo -n'\n"
      "('beowulf add' gave them password-less sudo).\n\n"
      "Example:\n  beowulf remove worker003 --revoke");
  return [o] { return run_remove(*o); };
}

}  // namespace beowulf::cli
