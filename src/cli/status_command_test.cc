// Runs the built `beowulf status` as a user would, on an inventory in a temporary folder
// that holds only the master: this machine, which status probes locally, without ssh.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "sys/temp_dir.h"
#include <unistd.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "sys/atomic_file.h"
#include "sys/process.h"

namespace beowulf {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::MatchesRegex;

constexpr const char* kMasterOnly = R"(schema = 1
name = "pi"

[[node]]
name = "master"
address = "198.18.0.10"
user = "linaro"
slots = 2
role = "master"
arch = "amd64"
)";

class StatusCommand : public ::testing::Test {
 protected:
  sys::TempDir temp_;  // removed with everything in it after the test
  void SetUp() override {
    ASSERT_FALSE(temp_.path().empty());
    dir_ = temp_.path();
  }

  /// Runs beowulf with `args`, HOME in the temporary folder (the ssh sockets' folder is
  /// made there), the inventory in its .beowulf/.
  sys::ProcessResult beowulf(std::vector<std::string> args) {
    args.insert(args.begin(), BEOWULF_BINARY_DIR "/src/cli/beowulf");
    sys::ProcessSpec spec{.argv = args, .env = {{"HOME", dir_}}, .unset_env = {"BEOWULF_HOME", "NO_COLOR"},
                          .timeout = std::chrono::seconds(30)};
    auto result = sys::run(spec);
    EXPECT_TRUE(result) << result.error().what;
    return result ? *result : sys::ProcessResult{};
  }

  void write_inventory() {
    fs::create_directories(dir_ + "/.beowulf");
    ASSERT_TRUE(sys::write_file_atomically(dir_ + "/.beowulf/cluster.toml", kMasterOnly));
  }

  std::string dir_;
};

TEST_F(StatusCommand, ShowsTheMasterProbedHere) {
  write_inventory();
  auto r = beowulf({"status"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err, "");
  EXPECT_THAT(r.out, MatchesRegex("NODE    ADDRESS      ARCH   STATE  UPTIME +LOAD +CORES +MEMORY +DISK FREE +TEMP +MPI\n"
                                  "master  198\\.18\\.0\\.10  amd64  up     [0-9dhms ]+  [0-9]+\\.[0-9][0-9]!? +[0-9]+ +"
                                  "[0-9.]+[KMGT]?/[0-9.]+[KMGT]? +[0-9.]+[KMGT]? \\([0-9]+%\\)!? +[-0-9.C!]+ +[^ ].*\n"
                                  "1 node: 1 up\n"));
  EXPECT_TRUE(fs::is_directory(dir_ + "/.beowulf/ssh"));
}

TEST_F(StatusCommand, JsonIsOneObjectPerNode) {
  write_inventory();
  auto r = beowulf({"status", "--json"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  ASSERT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 1) << r.out;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["node"], "master");
  EXPECT_EQ(j["arch"], "amd64");
  EXPECT_EQ(j["state"], "up");
  EXPECT_EQ(j["cores"], sysconf(_SC_NPROCESSORS_ONLN));
  EXPECT_GT(j["memory_total_bytes"].get<double>(), 0);
}

TEST_F(StatusCommand, RefusesAStrangerBeforeAskingAnyNode) {
  write_inventory();
  auto r = beowulf({"status", "-w", "mastre"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err, "beowulf: error: -w: mastre is not a member of the cluster\nhint: did you mean 'master'?\n");
}

TEST_F(StatusCommand, SaysWhenThereIsNoCluster) {
  auto r = beowulf({"status"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err,
            "beowulf: error: no cluster here: ~/.beowulf/cluster.toml does not exist\n"
            "hint: run 'beowulf init' on the master first\n");
}

TEST_F(StatusCommand, RefusesAWatchOfNoTime) {
  write_inventory();
  auto r = beowulf({"status", "--watch", "0"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("--watch"));
}

}  // namespace
}  // namespace beowulf
