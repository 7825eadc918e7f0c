// beowulf discover: machines answering SSH on the master's subnet (src/cluster/discover.h).

#include <unistd.h>

#include <fmt/core.h>
#include <fmt/ranges.h>

#include <iostream>
#include <memory>

#include "cli/add_command.h"
#include "cli/command.h"
#include "cli/report.h"
#include "cluster/discover.h"
#include "cluster/host_key.h"
#include "cluster/host_key_pin.h"
#include "core/nodeset.h"
#include "core/printable.h"

namespace beowulf::cli {
namespace {

struct Options {
  cluster::DiscoverOptions discover;
  bool add = false;
  bool yes = false;
  cluster::AddOptions add_options;
  PasswordOptions password;
};

/// Prints each new machine's host key fingerprint, as its sshd offers it; returns them by
/// address, for add to hold them to.
Result<std::map<std::string, std::string>> list_host_keys(const std::vector<std::string>& fresh) {
  auto scanned = cluster::scan_host_keys(fresh, {.fanout = 64, .timeout = std::chrono::seconds(15)});
  if (!scanned.ok()) return scanned.error();
  fmt::print("\nnew machines and their host keys (on a board's console: {}):\n", cluster::kConsoleFingerprint);
  std::map<std::string, std::string> prints;
  for (const auto& address : fresh) {
    const auto& keys = (*scanned)[address];
    std::string print = cluster::recorded_fingerprint(keys.keys, keys.prints);
    fmt::print("  {}  {}\n", address, print.empty() ? "(no host key offered)" : print);
    if (!print.empty()) prints[address] = print;
  }
  return prints;
}

/// Asks before the password goes to `count` machines, unless `yes`.
Status confirmed(std::size_t count, bool yes) {
  if (yes) return {};
  if (isatty(STDIN_FILENO) != 1)
    return bad_input("refusing to send the password without confirmation: stdin is not a terminal",
                     "check the host keys above, then pass --yes");
  fmt::print("Send the password to {} and make {} members? [y/N] ", count == 1 ? "it" : fmt::format("these {}", count),
             count == 1 ? "it" : "them");
  std::fflush(stdout);
  std::string answer;
  std::getline(std::cin, answer);
  if (answer != "y" && answer != "Y" && answer != "yes") return Error{"nothing sent: not confirmed"};
  return {};
}

int run_discover(Options& o) {
  auto found = cluster::discover(o.discover);
  if (!found.ok()) return report(found.error());
  std::size_t address_w = 7;
  for (const auto& f : *found) address_w = std::max(address_w, f.address.size());
  fmt::print("{:<{}}  {:<10}  {}\n", "ADDRESS", address_w, "MEMBER", "SSH BANNER");
  std::vector<std::string> fresh;
  for (const auto& f : *found) {
    fmt::print("{:<{}}  {:<10}  {}\n", f.address, address_w, f.member.empty() ? "-" : f.member,
               f.banner.empty() ? "(none)" : printable(f.banner));
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
  if (auto checked = cluster::check_add(o.add_options); !checked.ok()) return report(checked.error());
  auto listed = list_host_keys(fresh);
  if (!listed.ok()) return report(listed.error());
  if (Status s = confirmed(fresh.size(), o.yes); !s.ok()) return report(s.error());
  o.add_options.listed_host_keys = std::move(*listed);
  return add_and_report(o.add_options, o.password, set->fold());
}

}  // namespace

Run attach_discover(CLI::App& sub) {
  auto o = std::make_shared<Options>();
  sub.add_option("subnet", o->discover.subnet, "the subnet to probe (default: the master's /24)")->type_name("SUBNET");
  sub.add_flag("--add", o->add, "add the machines that are not members yet");
  sub.add_option("--user", o->add_options.user, "with --add: the boards' login user (default: the master's)");
  sub.add_option("--names", o->add_options.names, "with --add: names for new nodes")->type_name("PATTERN");
  sub.add_flag("--yes,-y", o->yes, "with --add: do not ask before sending the password");
  o->password.attach(sub);
  sub.footer(
      "Probes TCP port 22 of every address of the master's own subnet (at most a /16) and\n"
      "lists those that answer, their SSH banner and whether they are members. With --add it\n"
      "lists the new ones' host key fingerprints and asks before it sends them the password;\n"
      "add then trusts only the keys listed.\n\n"
      "Example:\n  beowulf discover\n  beowulf discover 198.18.0.0/24 --add --user linaro\n  beowulf discover --add --yes --password-stdin < password");
  return [o] { return run_discover(*o); };
}

}  // namespace beowulf::cli
