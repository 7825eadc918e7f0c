#include "cluster/init.h"

#include <pwd.h>
#include <unistd.h>

#include <fmt/core.h>

#include "cluster/cluster_sync.h"
#include "cluster/host_key.h"
#include "cluster/node_facts.h"
#include "core/address.h"
#include "sys/atomic_file.h"
#include "sys/cpus.h"
#include "sys/inventory_file.h"
#include "sys/paths.h"
#include "sys/process.h"

namespace beowulf::cluster {
namespace {

std::string user_name() {
  const passwd* entry = getpwuid(getuid());
  return entry != nullptr ? entry->pw_name : "root";
}

std::string short_hostname() {
  char name[256] = {};
  gethostname(name, sizeof name - 1);
  std::string out = name;
  return out.substr(0, out.find('.'));
}

/// ~/.ssh/id_ed25519, made when missing; true when it was made.
Result<bool> ensure_key(const std::string& path, const std::string& comment) {
  if (sys::file_exists(path)) {
    if (sys::file_exists(path + ".pub")) return false;
    auto r = sys::run({.argv = {"ssh-keygen", "-y", "-f", path}});
    if (!r.ok()) return r.error();
    if (!r->ok()) return Error{fmt::format("ssh-keygen -y -f {}: {}", sys::display_path(path), r->err)};
    if (Status s = sys::write_file_atomically(path + ".pub", r->out, 0644); !s.ok()) return s.error();
    return false;
  }
  if (Status s = sys::make_directory(path.substr(0, path.rfind('/')), 0700); !s.ok()) return s.error();
  auto r = sys::run({.argv = {"ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", comment, "-f", path}});
  if (!r.ok()) return r.error();
  if (!r->ok()) return Error{fmt::format("ssh-keygen: {}", r->err)};
  return true;
}

/// The fingerprint of this machine's ssh host key; empty when it cannot be read.
std::string own_host_fingerprint() {
  for (const char* path : {"/etc/ssh/ssh_host_ed25519_key.pub", "/etc/ssh/ssh_host_ecdsa_key.pub"}) {
    auto text = sys::read_file(path);
    if (!text.ok()) continue;
    auto prints = fingerprints({public_key_of(*text)});
    if (prints.ok() && !prints->empty()) return prints->front();
  }
  return {};
}

std::string listing(const std::vector<sys::InterfaceAddress>& addresses) {
  std::string out;
  for (const auto& a : addresses) out += fmt::format("{}{} ({})", out.empty() ? "" : ", ", a.address, a.interface);
  return out;
}

}  // namespace

Result<sys::InterfaceAddress> choose_address(const std::vector<sys::InterfaceAddress>& interfaces,
                                             const std::string& wanted) {
  std::vector<sys::InterfaceAddress> usable;
  for (const auto& a : interfaces)
    if (!a.loopback) usable.push_back(a);
  if (!wanted.empty()) {
    for (const auto& a : usable)
      if (a.address == wanted) return a;
    return bad_input(fmt::format("--address {} is not an address of this machine", wanted),
                     usable.empty() ? "this machine has no network address but loopback"
                                    : fmt::format("its addresses: {}", listing(usable)));
  }
  if (usable.empty())
    return bad_input("this machine has no network address but loopback", "connect it to the cluster's network first");
  if (usable.size() > 1)
    return bad_input(fmt::format("this machine has several addresses: {}", listing(usable)),
                     fmt::format("choose the cluster's with --address, e.g. beowulf init --address {}", usable[0].address));
  return usable[0];
}

Result<InitReport> init_cluster(const InitOptions& options) {
  std::string name = options.name.empty() ? short_hostname() : options.name;
  if (!is_host_name(name))
    return bad_input(fmt::format("'{}' is not a valid host name", name),
                     "letters, digits and '-', e.g. beowulf init --name master");
  auto interfaces = sys::ipv4_addresses();
  if (!interfaces.ok()) return interfaces.error();
  auto chosen = choose_address(*interfaces, options.address);
  if (!chosen.ok()) return chosen.error();
  auto address = parse_ipv4(chosen->address);
  if (!address.ok()) return address.error();

  std::string path = sys::inventory_path();
  Inventory inventory;
  if (sys::file_exists(path)) {
    auto loaded = sys::load_inventory(path);
    if (!loaded.ok()) return loaded.error();
    inventory = *loaded;
  }
  if (const Node* m = inventory.master()) {
    bool same = (options.name.empty() || m->name == name) && (options.address.empty() || m->address == *address);
    if (!same)
      return bad_input(fmt::format("the cluster already has a master: {}", m->label()),
                       fmt::format("to start over, move {} away", sys::display_path(path)));
  }

  InitReport report;
  report.key_path = sys::home_directory() + "/.ssh/id_ed25519";
  auto made = ensure_key(report.key_path, fmt::format("{}@{}", user_name(), name));
  if (!made.ok()) return made.error();
  report.made_key = *made;
  if (const Node* m = inventory.master()) {
    report.master = *m;
    return report;
  }

  Node master;
  master.name = name;
  master.address = *address;
  master.user = user_name();
  master.slots = static_cast<int>(sys::allowed_cpus().size());  // as `nproc` counts a worker's
  master.role = Role::master;
  master.host_key = own_host_fingerprint();
  if (!inventory.subnet())
    if (Status s = inventory.set_subnet(subnet_of(*address, chosen->prefix)); !s.ok()) return s.error();
  if (Status s = inventory.put(master); !s.ok()) return s.error();
  if (Status s = sys::save_inventory(path, inventory); !s.ok()) return s.error();
  if (Status s = write_machine_files(inventory); !s.ok()) return s.error();
  report.master = master;
  report.changed = true;
  return report;
}

}  // namespace beowulf::cluster
