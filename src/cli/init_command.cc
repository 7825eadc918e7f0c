// beowulf init: makes this machine the master of a new cluster (src/cluster/init.h).

#include <fmt/core.h>

#include <memory>

#include "cli/command.h"
#include "cli/report.h"
#include "cluster/init.h"
#include "sys/paths.h"

namespace beowulf::cli {
namespace {

int run_init(const cluster::InitOptions& options) {
  auto done = cluster::init_cluster(options);
  if (!done.ok()) return report(done.error());
  std::string key = sys::display_path(done->key_path);
  fmt::print("{} {}\n", done->made_key ? "made the master's key" : "kept the master's key", key);
  const Node& m = done->master;
  if (!done->changed) {
    fmt::print("already initialised: master {} ({}); nothing changed\n", m.name, m.address.str());
    return exit_ok;
  }
  fmt::print("master {} ({}), {} slot{}: {}\n", m.name, m.address.str(), m.slots, m.slots == 1 ? "" : "s",
             sys::display_path(sys::inventory_path()));
  fmt::print("next: beowulf add ADDRESS... (e.g. beowulf add 198.18.0.[11-13] --user linaro)\n");
  return exit_ok;
}

}  // namespace

Run attach_init(CLI::App& sub) {
  auto options = std::make_shared<cluster::InitOptions>();
  sub.add_option("--name", options->name, "the master's name (default: this machine's hostname)");
  sub.add_option("--address", options->address, "the master's cluster address, when it has several")
      ->type_name("ADDR");
  sub.footer(
      "Makes ~/.ssh/id_ed25519 if there is none, and ~/.beowulf/cluster.toml with this\n"
      "machine as the master. Running it again changes nothing.\n\n"
      "Example:\n  beowulf init --name master");
  return [options] { return run_init(*options); };
}

}  // namespace beowulf::cli
