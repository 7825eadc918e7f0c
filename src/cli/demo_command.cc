// `beowulf demo`: the recipe, start to finish, on a virtual cluster of fresh boards: what
// `scripts/demo` runs. Each command is printed before its output, as a user would see it
// typed on the master.

#include <fmt/core.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cli/command.h"
#include "cli/interrupt.h"
#include "cli/report.h"
#include "cli/streamed.h"
#include "core/nodeset.h"
#include "launch/mpi_install.h"
#include "sim/profile.h"
#include "sim/sim.h"
#include "sys/process.h"

namespace beowulf::cli {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

struct DemoOptions {
  int workers = 3;
  std::string profile = "parallella";
  bool keep = false;
  std::string name = "demo";
  std::string subnet = "198.18.0.0/24";
};

/// This beowulf, and the folder of beowulf-cpi beside it (installed, or in the build tree).
struct Programs {
  std::string beowulf;
  std::string cpi;
};

Result<Programs> find_programs() {
  std::error_code ec;
  fs::path self = fs::read_symlink("/proc/self/exe", ec);
  if (ec) return Error{fmt::format("find this program: {}", ec.message())};
  for (fs::path cpi : {self.parent_path() / "beowulf-cpi", self.parent_path() / "../../examples/beowulf-cpi"})
    if (fs::exists(cpi, ec)) return Programs{self.string(), fs::canonical(cpi, ec).string()};
  if (auto on_path = sys::find_on_path("beowulf-cpi"); !on_path.empty()) return Programs{self.string(), on_path};
  return Error{"beowulf-cpi is not installed beside beowulf", "", "build it: scripts/build"};
}

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

/// Without root: no namespaces, so cpi on this machine alone, as the recipe's first step.
int run_alone(const Programs& programs, int cancel_fd) {
  fmt::print("beowulf demo: a virtual cluster needs root (it makes network namespaces): run 'sudo beowulf demo'.\n"
             "Meanwhile, the recipe's first step, cpi on this machine alone:\n");
  auto mpi = launch::detect_mpi(launch::MpiKind::mpich);
  if (!mpi) return report(mpi.error());
  fmt::print("$ mpiexec -n 2 beowulf-cpi\n");
  std::fflush(stdout);
  return run_streamed({.argv = {mpi->mpiexec, "-n", "2", programs.cpi}}, cancel_fd);
}

/// The steps inside the master, as the board's user, with beowulf and beowulf-cpi on PATH.
class Master {
 public:
  Master(const sim::Sim& sim, const Programs& programs, int cancel_fd)
      : sim_(sim), programs_(programs), cancel_fd_(cancel_fd) {}

  /// Prints `$ beowulf shown` (and `prompt`, as a terminal would show it), then runs
  /// `beowulf args` with `input` on its stdin; returns its exit status.
  int step(const std::vector<std::string>& shown, const std::vector<std::string>& args, const std::string& input = {},
           const std::string& prompt = {}) {
    std::string line = "beowulf";
    for (const auto& word : shown) line += " " + word;
    fmt::print("\n$ {}\n{}", line, prompt.empty() ? "" : prompt + "\n");
    std::fflush(stdout);
    std::string path = fmt::format("PATH={}:{}:/usr/local/bin:/usr/bin:/bin", fs::path(programs_.beowulf).parent_path().string(),
                                   fs::path(programs_.cpi).parent_path().string());
    std::vector<std::string> command = {"env", path, programs_.beowulf};
    command.insert(command.end(), args.begin(), args.end());
    auto argv = sim_.exec_argv("master", command, sim_.board_user());
    if (!argv) return report(argv.error());
    return run_streamed({.argv = *argv, .input = input}, cancel_fd_);
  }

 private:
  const sim::Sim& sim_;
  const Programs& programs_;
  int cancel_fd_;
};

/// The workers' addresses, folded: "198.18.0.[11-13]".
std::string worker_addresses(const sim::Sim& sim) {
  std::string list;
  for (const auto& node : sim.state().nodes)
    if (node.label != "master") list += (list.empty() ? "" : ",") + node.address;
  return NodeSet::parse(list).value().fold();
}

int walk_through(const sim::Sim& sim, const Programs& programs, int cancel_fd, Clock::time_point start) {
  Master master(sim, programs, cancel_fd);
  std::string user = sim.board_user();
  std::string workers = worker_addresses(sim);
  if (int s = master.step({"init"}, {"init"}); s != 0) return s;
  if (int s = master.step({"add", workers, "--user", user}, {"add", workers, "--user", user, "--password-stdin"},
                          sim.board_password() + "\n", fmt::format("Password for {}@{}:", user, workers));
      s != 0)
    return s;
  if (int s = master.step({"exec", "-b", "hostname"}, {"exec", "-b", "hostname"}); s != 0) return s;
  if (int s = master.step({"run", "beowulf-cpi"}, {"run", "beowulf-cpi"}); s != 0) return s;
  fmt::print("\nfrom fresh boards to cpi on the cluster in {:.1f} s\n", seconds_since(start));
  return exit_ok;
}

int run_demo(const DemoOptions& o) {
  InterruptGuard interrupt;
  auto programs = find_programs();
  if (!programs) return report(programs.error());
  if (::geteuid() != 0) return run_alone(*programs, interrupt.fd());
  auto profile = sim::profile_named(o.profile);
  if (!profile) return report(profile.error());

  auto start = Clock::now();
  fmt::print("beowulf demo: {} fresh {} boards and a master, each a set of namespaces with its own sshd\n",
             o.workers, o.profile);
  fmt::print("$ beowulf sim up --workers {}{}\n", o.workers, o.profile == "parallella" ? "" : " --profile " + o.profile);
  std::fflush(stdout);
  auto sim = sim::Sim::up({.name = o.name, .subnet = o.subnet, .workers = o.workers, .profile = o.profile});
  if (!sim) return report(sim.error());
  fmt::print("master {}, workers {}: user '{}', password '{}', every board called {}\n",
             sim->address("master"), worker_addresses(*sim), sim->board_user(), sim->board_password(),
             profile->hostname);

  int status = walk_through(*sim, *programs, interrupt.fd(), start);
  if (interrupt.interrupted()) status = exit_interrupted;
  if (o.keep) {
    fmt::print("\nthe cluster stays up: beowulf sim shell --name {} --user {}; beowulf sim down --name {}\n", o.name,
               sim->board_user(), o.name);
    return status;
  }
  fmt::print("\n$ beowulf sim down\n");
  if (Status down = sim->down(); !down.ok()) return report(down.error());
  return status;
}

}  // namespace

Run attach_demo(CLI::App& sub) {
  auto o = std::make_shared<DemoOptions>();
  sub.add_option("--workers", o->workers, "how many fresh boards besides the master")
      ->capture_default_str()
      ->check(CLI::Range(1, 64));
  sub.add_option("--profile", o->profile, "what the boards look like: parallella (linaro/linaro) or raspberrypi (pi/raspberry)")
      ->capture_default_str();
  sub.add_flag("--keep", o->keep, "leave the virtual cluster up afterwards");
  sub.add_option("--name", o->name, "the virtual cluster's name")->capture_default_str();
  sub.add_option("--subnet", o->subnet, "its network, inside 198.18.0.0/15")->capture_default_str();
  sub.footer(
      "As root: a virtual cluster of fresh boards, then on its master, as the boards' user,\n"
      "beowulf init, add, exec -b hostname and run beowulf-cpi, each command shown before its\n"
      "output. Without root: cpi on this machine alone.\n\n"
      "Example:\n"
      "  sudo beowulf demo --workers 3");
  return [o] { return run_demo(*o); };
}

}  // namespace beowulf::cli
