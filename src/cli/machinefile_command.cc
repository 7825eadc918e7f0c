// beowulf machinefile: prints the machine file for mpiexec from the inventory.

#include <fmt/core.h>

#include "cli/command.h"
#include "cli/report.h"
#include "core/machine_file.h"
#include "sys/inventory_file.h"
#include "sys/paths.h"

namespace beowulf::cli {
namespace {

struct Options {
  std::string format = "mpich";
  std::string inventory;  ///< empty: ~/.beowulf/cluster.toml
};

int print_machine_file(const Options& options) {
  auto inventory = sys::load_inventory(options.inventory.empty() ? sys::inventory_path() : options.inventory);
  if (!inventory) return report(inventory.error());
  if (inventory->nodes().empty())
    return report(Error{"the cluster has no nodes yet", {}, "run 'beowulf init' on the master first", ErrorKind::failed});
  auto format = options.format == "openmpi" ? MachineFileFormat::openmpi : MachineFileFormat::mpich;
  fmt::print("{}", write_machine_file(machine_entries(*inventory), format));
  return exit_ok;
}

}  // namespace

Run attach_machinefile(CLI::App& sub) {
  auto options = std::make_shared<Options>();
  sub.add_option("--format", options->format, "mpich (hydra: host:slots) or openmpi (host slots=N)")
      ->check(CLI::IsMember({"mpich", "openmpi"}))
      ->capture_default_str();
  sub.add_option("--inventory", options->inventory, "the inventory to read (default: ~/.beowulf/cluster.toml)")
      ->type_name("FILE");
  sub.footer(
      "The master comes first, so rank 0 runs on it.\n\n"
      "Example:\n"
      "  beowulf machinefile > machine_file && mpiexec.mpich -f machine_file -n 4 beowulf-cpi\n"
      "  beowulf machinefile --format openmpi > hostfile");
  return [options] { return print_machine_file(*options); };
}

}  // namespace beowulf::cli
