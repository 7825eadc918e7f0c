// `beowulf status` on a virtual cluster of its own (sim "status-test", 198.18.6.0/24)
// whose boards joined as a user joins them (`beowulf init`, `beowulf add`, run in the
// master as the board user). One board runs hot, one has a Parallella's XADC sensor, one
// has its sshd down.
//
// The sensors are fake files mounted in that node's own mount namespace: each sim node
// has a sysfs of its own (made by `ip netns exec`), private to it, so a tmpfs over
// /sys/class/thermal (or /sys/bus) there changes what that node alone sees, and the
// probe reads the very paths it reads on a real board: it needs no setting that only
// tests use. The mounts go with the node's namespaces at `sim down`.
//
// One fixed sim name and subnet: ctest runs cluster tests one after another; the sim
// left by a crashed run is taken down first.

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>

#include "cli/joined_cluster.h"
#include "sim/sim.h"

namespace beowulf::cli {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using Clock = std::chrono::steady_clock;

constexpr char kSimName[] = "status-test";

class StatusCluster : public ::testing::Test {
 public:
  static void SetUpTestSuite() {
    if (geteuid() != 0) return;
    (void)sim::Sim::down(sim::Sim::default_state_dir(kSimName));  // what a crashed run left
    auto made = sim::Sim::up({.name = kSimName, .subnet = "198.18.6.0/24", .workers = 3});
    if (!made.ok()) {
      error_ = "sim up: " + made.error().message();
      return;
    }
    sim_.emplace(std::move(*made));
    error_ = join_and_break();
  }

  static void TearDownTestSuite() {
    if (!sim_) return;
    auto removed = sim_->down();
    EXPECT_TRUE(removed.ok()) << removed.error().message();
    sim_.reset();
  }

 protected:
  void SetUp() override {
    if (geteuid() != 0) GTEST_SKIP() << "cluster tests need root: a sim is made of network namespaces and mounts";
    ASSERT_TRUE(sim_.has_value() && error_.empty()) << error_;
  }

  /// `command` in node `label`, as root when `user` is empty; a failure to start is a
  /// result with exit status -1 and the reason on stderr.
  static sys::ProcessResult exec(const std::string& label, const std::vector<std::string>& command,
                                 const std::string& user = {}, const std::string& input = {}) {
    auto r = sim_->exec(label, command, {.user = user, .input = input});
    if (!r.ok()) return sys::ProcessResult{.exit_code = -1, .err = r.error().message()};
    return *r;
  }

  /// `beowulf args...` in the master as the board user, with the built beowulf on PATH.
  static sys::ProcessResult beowulf(std::vector<std::string> args, const std::string& input = {}) {
    args.insert(args.begin(), {"env", built_path(), "beowulf"});
    return exec("master", args, sim_->board_user(), input);
  }

  static std::optional<sim::Sim> sim_;
  static std::string error_;

 private:
  /// Joins the boards, then gives them their troubles; returns what went wrong, or "".
  static std::string join_and_break() {
    auto init = beowulf({"init"});
    if (init.exit_code != 0) return "init: " + init.out + init.err;
    auto add = beowulf({"add", "198.18.6.[11-13]", "--user", sim_->board_user(), "--password-stdin"},
                       sim_->board_password() + "\n");
    if (add.exit_code != 0) return "add: " + add.out + add.err;
    auto hot = exec("node1", {"sh", "-ec",
                              "mount -t tmpfs beowulf-test /sys/class/thermal\n"
                              "mkdir /sys/class/thermal/thermal_zone0 /sys/class/thermal/thermal_zone1\n"
                              "echo 41000 > /sys/class/thermal/thermal_zone0/temp\n"
                              "echo 75000 > /sys/class/thermal/thermal_zone1/temp\n"});
    if (hot.exit_code != 0) return "fake thermal zone on node1: " + hot.err;
    auto xadc = exec("node2", {"sh", "-ec",
                               "mount -t tmpfs beowulf-test /sys/bus\n"
                               "d=/sys/bus/iio/devices/iio:device0; mkdir -p $d\n"
                               "echo 2587 > $d/in_temp0_raw; echo -2219 > $d/in_temp0_offset\n"
                               "echo 123.040771484 > $d/in_temp0_scale\n"});
    if (xadc.exit_code != 0) return "fake XADC sensor on node2: " + xadc.err;
    if (auto down = sim_->fault("node3", "sshd-down"); !down.ok()) return "sshd-down: " + down.error().message();
    // `add` left a warm connection to node3 that outlives its sshd: close it, as a
    // reboot would.
    auto closed = exec("master", {"sh", "-c", "ssh -O exit -o ControlPath=$HOME/.beowulf/ssh/%C linaro@198.18.6.13"},
                       sim_->board_user());
    if (closed.exit_code != 0) return "close the connection to node3: " + closed.err;
    return "";
  }
};

std::optional<sim::Sim> StatusCluster::sim_;
std::string StatusCluster::error_;

/// The line of `table` that starts with `node` and a space.
std::string row_of(const std::string& table, const std::string& node) {
  std::istringstream lines(table);
  for (std::string line; std::getline(lines, line);)
    if (line.starts_with(node + " ")) return line;
  return "";
}

/// Processes whose command line holds `text` (the probe's own words: its ssh clients and
/// its local `sh -c`), as "PID CMDLINE" lines.
std::string processes_holding(const std::string& text) {
  std::string found;
  for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
    std::ifstream in(entry.path() / "cmdline");
    std::string cmdline((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (cmdline.find(text) != std::string::npos && entry.path().filename() != std::to_string(getpid()))
      found += entry.path().filename().string() + " " + cmdline.substr(0, 60) + "\n";
  }
  return found;
}

TEST_F(StatusCluster, OneRowPerNodeWithItsTroublesMarked) {
  auto r = beowulf({"status"});
  EXPECT_EQ(r.exit_code, 1) << r.err;  // a node is down
  EXPECT_EQ(r.err, "");
  EXPECT_THAT(r.out, Not(HasSubstr("\x1b[")));  // no colour into a pipe
  // Columns are as wide as their widest value: the host's uptime ("9h 5m" or "12h 24m") moves LOAD.
  EXPECT_THAT(r.out, ::testing::ContainsRegex("^NODE +ADDRESS +ARCH +STATE +UPTIME +LOAD +CORES +MEMORY"));
  // init does not record the master's architecture; add records each worker's.
  EXPECT_THAT(row_of(r.out, "linaro-nano"), HasSubstr("198.18.6.10  -      up "));
  EXPECT_THAT(row_of(r.out, "worker001"), HasSubstr(" 75.0C! "));  // the hotter of its two zones
  EXPECT_THAT(row_of(r.out, "worker002"), HasSubstr(" 45.3C "));   // (2587 - 2219) * 0.123 C
  EXPECT_EQ(row_of(r.out, "worker003"), "worker003    198.18.6.13  amd64  down: ssh: connection refused");
  EXPECT_THAT(r.out, ::testing::EndsWith("\n4 nodes: 3 up, 1 down\n"));
}

TEST_F(StatusCluster, JsonGivesTheValues) {
  auto r = beowulf({"status", "--json"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  std::istringstream lines(r.out);
  std::map<std::string, nlohmann::json> by_node;
  for (std::string line; std::getline(lines, line);) {
    auto j = nlohmann::json::parse(line);
    by_node[j["node"]] = j;
  }
  ASSERT_EQ(by_node.size(), 4u) << r.out;
  const auto& master = by_node["linaro-nano"];
  EXPECT_EQ(master["state"], "up");
  EXPECT_TRUE(master["temperature_c"].is_null());  // this machine has no sensor
  EXPECT_EQ(master["cores"], 1);  // a sim board has one core (sim up --cores 1)
  EXPECT_EQ(master["mpi"], "MPICH 4.0.2");
  EXPECT_TRUE(master["arch"].is_null());  // init does not record the master's architecture
  EXPECT_EQ(by_node["worker001"]["temperature_c"], 75.0);
  EXPECT_THAT(by_node["worker001"]["alerts"].dump(), HasSubstr("\"temperature\""));
  EXPECT_NEAR(by_node["worker002"]["temperature_c"].get<double>(), 45.279, 0.001);
  EXPECT_EQ(by_node["worker003"].dump(),
            R"({"address":"198.18.6.13","arch":"amd64","error":"ssh: connection refused","node":"worker003",)"
            R"("state":"down"})");
}

TEST_F(StatusCluster, ChosenNodesOnly) {
  auto r = beowulf({"status", "-w", "worker[001-002]"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, Not(HasSubstr("linaro-nano")));
  EXPECT_THAT(r.out, Not(HasSubstr("worker003")));
  EXPECT_THAT(r.out, ::testing::EndsWith("\n2 nodes: 2 up\n"));

  auto typo = beowulf({"status", "-w", "wroker001"});
  EXPECT_EQ(typo.exit_code, 2);
  EXPECT_EQ(typo.out, "");
  EXPECT_EQ(typo.err, "beowulf: error: -w: wroker001 is not a member of the cluster\nhint: did you mean 'worker001'?\n");
}

TEST_F(StatusCluster, AnUnreachableNodeCostsOneTimeoutNotADelay) {
  ASSERT_TRUE(sim_->fault("node2", "link-down").ok());
  auto started = Clock::now();
  auto r = beowulf({"status", "--timeout", "1"});
  auto took = Clock::now() - started;
  ASSERT_TRUE(sim_->heal("node2").ok());
  EXPECT_EQ(r.exit_code, 1) << r.err;
  // Its warm connection outlives the link: no error comes, only the timeout.
  EXPECT_EQ(row_of(r.out, "worker002"), "worker002    198.18.6.12  amd64  down: no answer within 1 s");
  EXPECT_THAT(row_of(r.out, "worker001"), HasSubstr(" up "));
  EXPECT_LT(took, std::chrono::seconds(4));  // one 1 s timeout, then the table
}

TEST_F(StatusCluster, WatchRedrawsUntilCtrlCAndLeavesNoSsh) {
  auto argv = sim_->exec_argv("master", {"env", built_path(), "beowulf", "status", "--watch", "0.5", "-w", "worker[001-002]"},
                              sim_->board_user());
  ASSERT_TRUE(argv.ok()) << argv.error().message();
  auto watch = sys::Process::start({.argv = *argv});
  ASSERT_TRUE(watch.ok()) << watch.error().message();

  // Read until the table was drawn twice, then press Ctrl-C.
  std::string out;
  auto deadline = Clock::now() + std::chrono::seconds(20);
  auto frames = [&] {
    std::size_t n = 0;
    for (auto at = out.find("Every 0.5s: beowulf status -w worker[001-002]"); at != std::string::npos;
         at = out.find("Every 0.5s", at + 1))
      ++n;
    return n;
  };
  while (frames() < 2 && Clock::now() < deadline) {
    pollfd p{watch->stdout_fd(), POLLIN, 200};
    if (poll(&p, 1, 200) == 1) {
      char buffer[4096];
      ssize_t n = read(watch->stdout_fd(), buffer, sizeof buffer);
      if (n <= 0) break;
      out.append(buffer, static_cast<std::size_t>(n));
    }
  }
  ASSERT_GE(frames(), 2u) << out;
  EXPECT_THAT(out, HasSubstr("\n2 nodes: 2 up\n\n"));
  watch->kill_group(SIGINT);
  sys::ProcessResult result;
  watch->wait(result);
  EXPECT_EQ(result.exit_code, 130);

  std::string left;
  for (auto until = Clock::now() + std::chrono::seconds(5); Clock::now() < until;) {
    left = processes_holding("in_temp0_raw");
    if (left.empty()) break;
    poll(nullptr, 0, 50);
  }
  EXPECT_EQ(left, "") << "probes outlived beowulf status";
}

}  // namespace
}  // namespace beowulf::cli
