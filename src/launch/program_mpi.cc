#include "launch/program_mpi.h"

#include <fmt/core.h>
#include <unistd.h>

#include <filesystem>
#include <regex>

#include "launch/elf_needed.h"
#include "sys/process.h"

namespace beowulf::launch {
namespace {

/// What `argv` printed on stdout when it succeeded, else nullopt.
std::optional<std::string> stdout_of(std::vector<std::string> argv) {
  auto r = sys::run({.argv = std::move(argv), .timeout = std::chrono::seconds(10)});
  if (!r.ok() || r->exit_code != 0) return std::nullopt;
  return r->out;
}

/// The MPI `path` links: named in its own ELF file when it names it (no process), else
/// as ldd finds it (a library of a library).
std::optional<MpiKind> linked_mpi(const std::string& path) {
  std::string named;
  for (const auto& library : elf_needed(path)) named += library + "\n";
  if (auto kind = parse_ldd(named)) return kind;
  auto libraries = stdout_of({"ldd", path});
  return libraries ? parse_ldd(*libraries) : std::nullopt;
}

}  // namespace

bool is_python(const std::string& program) {
  static const std::regex python(R"(python(3(\.[0-9]+)?)?)");
  return std::regex_match(std::filesystem::path(program).filename().string(), python);
}

std::vector<std::string> mpi4py_module_argv(const std::string& python) {
  return {python, "-c",
          "import importlib.util as u\n"
          "s = u.find_spec('mpi4py.MPI') if u.find_spec('mpi4py') else None\n"
          "print(s.origin if s else '')"};
}

std::optional<ProgramMpi> program_mpi(const std::string& program, std::string_view shown) {
  if (!is_python(program)) {
    auto kind = linked_mpi(program);
    if (!kind) return std::nullopt;
    return ProgramMpi{*kind, fmt::format("{} is built with it", shown), ""};
  }
  auto printed = stdout_of(mpi4py_module_argv(program));
  std::string module = printed ? printed->substr(0, printed->find('\n')) : "";
  if (module.empty()) return std::nullopt;
  auto kind = linked_mpi(module);
  if (!kind) return std::nullopt;
  return ProgramMpi{*kind, "mpi4py is built with it", module};
}

Result<MpiInstall> installed_mpi(MpiKind kind) {
  std::string mpiexec = fmt::format("/usr/bin/mpiexec.{}", short_name(kind));
  if (::access(mpiexec.c_str(), X_OK) != 0)
    return Error{fmt::format("{} is not installed on this master ({} not found)", display_name(kind), mpiexec), "",
                 fmt::format("sudo apt-get install {}", package_of(kind))};
  return MpiInstall{kind, "", mpiexec};
}

std::string node_daemon(MpiKind kind) {
  return kind == MpiKind::mpich ? "/usr/bin/hydra_pmi_proxy" : "/usr/bin/orted";
}

std::string_view package_of(MpiKind kind) { return kind == MpiKind::mpich ? "mpich" : "openmpi-bin"; }

}  // namespace beowulf::launch
