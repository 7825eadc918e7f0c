#include "launch/mpi_install.h"

#include <fmt/core.h>

#include <regex>

#include "sys/process.h"

namespace beowulf::launch {
namespace {

bool contains(std::string_view text, std::string_view part) { return text.find(part) != std::string_view::npos; }

/// What a tool printed on stdout and stderr, or nullopt when it could not run.
std::optional<std::string> output_of(std::vector<std::string> argv) {
  auto r = sys::run({.argv = std::move(argv), .timeout = std::chrono::seconds(10)});
  if (!r.ok() || r->exit_code != 0) return std::nullopt;
  return r->out + r->err;
}

std::string fix_for(MpiKind kind) {
  auto name = short_name(kind);
  return fmt::format(
      "pass --mpi {0}, or make {0} the default: sudo update-alternatives --set mpi /usr/bin/mpicc.{0} && "
      "sudo update-alternatives --set mpirun /usr/bin/mpirun.{0}",
      name);
}

}  // namespace

std::string_view display_name(MpiKind kind) { return kind == MpiKind::mpich ? "MPICH" : "Open MPI"; }

std::string_view short_name(MpiKind kind) { return kind == MpiKind::mpich ? "mpich" : "openmpi"; }

Result<MpiKind> parse_mpi_kind(std::string_view text) {
  if (text == "mpich") return MpiKind::mpich;
  if (text == "openmpi") return MpiKind::openmpi;
  return bad_input(fmt::format("--mpi: '{}' is not an MPI implementation beowulf knows", text),
                   "use --mpi mpich or --mpi openmpi");
}

std::optional<MpiInstall> parse_mpiexec_version(std::string_view text) {
  std::string s(text);
  std::smatch m;
  if (contains(s, "HYDRA build details") && std::regex_search(s, m, std::regex(R"(Version:\s+([0-9][0-9.a-z]*))")))
    return MpiInstall{MpiKind::mpich, m[1], ""};
  if (std::regex_search(s, m, std::regex(R"(\((OpenRTE|Open MPI)\) ([0-9][0-9.a-z]*))")))
    return MpiInstall{MpiKind::openmpi, m[2], ""};
  return std::nullopt;
}

std::optional<MpiKind> parse_mpicc_show(std::string_view text) {
  if (contains(text, "-lmpich") || contains(text, "/mpich")) return MpiKind::mpich;
  if (contains(text, "openmpi") || contains(text, "-lmpi")) return MpiKind::openmpi;
  return std::nullopt;
}

std::optional<MpiKind> parse_ldd(std::string_view text) {
  if (contains(text, "libmpich.so")) return MpiKind::mpich;
  if (contains(text, "libmpi.so") || contains(text, "libmpi_cxx.so")) return MpiKind::openmpi;
  return std::nullopt;
}

Result<MpiInstall> detect_mpi(std::optional<MpiKind> wanted) {
  std::string mpiexec = wanted ? fmt::format("/usr/bin/mpiexec.{}", short_name(*wanted)) : "mpiexec";
  auto version = output_of({mpiexec, "--version"});
  if (!version) {
    std::string what = wanted ? fmt::format("{} is not installed ({} not found)", display_name(*wanted), mpiexec)
                              : "no MPI is installed: mpiexec is not on PATH";
    return Error{what, "", "sudo apt-get install mpich libmpich-dev (or openmpi-bin libopenmpi-dev)"};
  }
  auto found = parse_mpiexec_version(*version);
  if (!found) return Error{fmt::format("{} is neither MPICH's hydra nor Open MPI's launcher", mpiexec), "", ""};
  found->mpiexec = sys::find_on_path(mpiexec);
  if (wanted) return *found;

  auto compile_line = output_of({"mpicc", "-show"});
  auto compiler = compile_line ? parse_mpicc_show(*compile_line) : std::nullopt;
  if (compiler && *compiler != found->kind)
    return Error{fmt::format("mpicc is {} but mpiexec is {}: programs built with one cannot be launched by the other",
                             display_name(*compiler), display_name(found->kind)),
                 "", fix_for(*compiler)};
  return *found;
}

Status check_program_links(const std::string& program, const MpiInstall& mpi) {
  auto libraries = output_of({"ldd", program});
  auto linked = libraries ? parse_ldd(*libraries) : std::nullopt;
  if (!linked || *linked == mpi.kind) return {};
  return Error{fmt::format("{} is built with {} but would be launched by {}", program, display_name(*linked),
                           display_name(mpi.kind)),
               "", fmt::format("pass --mpi {}", short_name(*linked))};
}

}  // namespace beowulf::launch
