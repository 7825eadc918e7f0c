// beowulf discover: machines answering SSH on the master's subnet (src/cluster/discover.h).

#include <fmt/core.h>
#include <fmt/ranges.h>

#include <memory>

#include "cli/add_command.h"
#include "cli/command.h"
#include "cli/report.h"
#include "cluster/discover.h"
#include "core/nodeset.h"

namespace beowulf::cli {
namespace {

struct Options {
  cluster::DiscoverOptions discover;
  bool add = false;
  cluster::AddOptions add_options;
  PasswordOptions password;
};

int run_discover(Options& o) {
  auto found = cluster::discover(o.discover);
  if (!found.ok()) return report(found.error());
  std::size_t address_w = 7;
  for (const auto& f : *found) address_w = std::max(address_w, f.address.size());
  fmt::print("{:<{}}  {:<10}  {}\n", "ADDRESS", address_w, "MEMBER", "SSH BANNER");
  std::vector<std::string> fresh;
  for (const auto& f : *found) {
    fmt::print("{:<{}}  {:<10}  {}\n", f.address, address_w, f.member.empty() ? "-" : f.member,
               f.banner.empty() ? "(none)" : f.banner);
    if (f.member.empty()) fresh.push_back(f.address);
  }
  if (!o.add) return exit_ok;
  if (fresh.empty()) {
    fmt::print("no new machine to add\n");
    return exit_ok;
  }
  auto set = NodeSet::parse(fmt::format("{}", fmt::join(fresh, ",")));
  if (!set.ok()) return report(set.error());
  o.add_options.addresses = fresh;
  return add_and_report(o.add_options, o.password, set->fold());
}

}  // namespace

Run attach_discover(CLI::App& sub) {
  auto o = std::make_shared<Options>();
  sub.add_option("subnet", o->discover.subnet, "the subnet to probe (default: the master's /24)")->type_name("SUBNET");
  sub.add_flag("--add", o->add, "add the machines that are not members yet");
  sub.add_option("--user", o->add_options.user, "with --add: the boards' login user (default: the master's)");
  sub.add_option("--names", o->add_options.names, "with --add: names for new nodes")->type_name("PATTERN");
  o->password.attach(sub);
  sub.footer(
      "Probes TCP port 22 of every address of the master's own subnet (at most a /16) and\n"
      "lists those that answer, their SSH banner and whether they are members.\n\n"
      "Example:\n  beowulf discover\n  beowulf discover 198.18.0.0/24 --add --user linaro");
  return [o] { return run_discover(*o); };
}

}  // namespace beowulf::cli
