#include "launch/mpiexec_command.h"

#include <fmt/core.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>

namespace beowulf::launch {
namespace {

std::vector<std::string> mpich_options(const Launch& launch) {
  std::vector<std::string> argv = {"-f", launch.machine_file};
  for (const auto& [name, value] : launch.env) argv.insert(argv.end(), {"-genv", name, value});
  // Without -iface hydra's proxies may connect back to whatever the master's name
  // resolves to, loopback included ("unable to connect from node2 to master").
  if (!launch.interface.empty()) argv.insert(argv.end(), {"-iface", launch.interface});
  return argv;
}

std::vector<std::string> openmpi_options(const Launch& launch) {
  std::vector<std::string> argv = {"--hostfile", launch.machine_file};
  if (!launch.subnet.empty()) {
    argv.insert(argv.end(), {"--mca", "btl_tcp_if_include", launch.subnet, "--mca", "oob_tcp_if_include", launch.subnet});
  }
  // The master starts every daemon itself, over its warm ssh sockets, instead of a tree
  // of daemons that each need ssh trust to the next (a silent hang when one lacks it).
  argv.insert(argv.end(), {"--mca", "plm_rsh_no_tree_spawn", "1"});
  if (launch.as_root) argv.push_back("--allow-run-as-root");
  for (const auto& [name, value] : launch.env) argv.insert(argv.end(), {"-x", name + "=" + value});
  return argv;
}

bool is_variable_name(std::string_view name) {
  if (name.empty() || std::isdigit(static_cast<unsigned char>(name.front()))) return false;
  return std::all_of(name.begin(), name.end(),
                     [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; });
}

}  // namespace

Result<std::pair<std::string, std::string>> parse_env_option(std::string_view text) {
  auto eq = text.find('=');
  std::string name(text.substr(0, eq));
  if (!is_variable_name(name))
    return bad_input(fmt::format("--env {}: '{}' is not a variable name", text, name),
                     "give NAME=VALUE or NAME, e.g. --env OMP_NUM_THREADS=1");
  if (eq != std::string_view::npos) return std::pair{name, std::string(text.substr(eq + 1))};
  const char* value = std::getenv(name.c_str());
  if (value == nullptr)
    return bad_input(fmt::format("--env {}: {} is not set here", name, name), fmt::format("give its value: --env {}=VALUE", name));
  return std::pair{name, std::string(value)};
}

std::vector<std::string> mpiexec_argv(const Launch& launch) {
  std::vector<std::string> argv = {launch.mpi.mpiexec};
  auto options = launch.mpi.kind == MpiKind::mpich ? mpich_options(launch) : openmpi_options(launch);
  argv.insert(argv.end(), options.begin(), options.end());
  argv.insert(argv.end(), {"-n", std::to_string(launch.ranks), launch.program});
  argv.insert(argv.end(), launch.args.begin(), launch.args.end());
  return argv;
}

}  // namespace beowulf::launch
