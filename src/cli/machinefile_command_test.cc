// Runs the built `beowulf machinefile` as a user would, on inventories in a temporary folder.

#include <gtest/gtest.h>

#include "sys/temp_dir.h"

#include <cstdlib>
#include <filesystem>
#include <optional>

#include "sys/atomic_file.h"
#include "sys/process.h"

namespace beowulf {
namespace {

namespace fs = std::filesystem;

constexpr const char* kCluster = R"(schema = 1
name = "pi"

[[node]]
name = "worker001"
address = "198.18.0.11"
user = "linaro"
slots = 2

[[node]]
name = "master"
address = "198.18.0.10"
user = "linaro"
slots = 1
role = "master"
)";

class MachinefileCommand : public ::testing::Test {
 protected:
  sys::TempDir temp_;  // removed with everything in it after the test
  void SetUp() override {
    ASSERT_FALSE(temp_.path().empty());
    dir_ = temp_.path();
  }

  /// Runs beowulf with `args`, BEOWULF_HOME at the temporary folder.
  /// With `home`, HOME is there instead and BEOWULF_HOME is unset.
  sys::ProcessResult beowulf(std::vector<std::string> args, std::optional<std::string> home = std::nullopt) {
    args.insert(args.begin(), BEOWULF_BINARY_DIR "/src/cli/beowulf");
    sys::ProcessSpec spec{.argv = args, .env = {{"BEOWULF_HOME", dir_}}, .timeout = std::chrono::seconds(30)};
    if (home) spec.env = {{"HOME", *home}}, spec.unset_env = {"BEOWULF_HOME"};
    auto result = sys::run(spec);
    EXPECT_TRUE(result) << result.error().what;
    return result ? *result : sys::ProcessResult{};
  }

  std::string dir_;
};

TEST_F(MachinefileCommand, PrintsTheMpichFileWithTheMasterFirst) {
  ASSERT_TRUE(sys::write_file_atomically(dir_ + "/cluster.toml", kCluster));
  auto result = beowulf({"machinefile"});
  EXPECT_EQ(result.err, "");
  EXPECT_EQ(result.out,
            "# MPICH machine file written by beowulf: 'beowulf machinefile --format mpich' prints it.\n"
            "198.18.0.10:1\n198.18.0.11:2\n");
  EXPECT_EQ(result.exit_code, 0);
}

TEST_F(MachinefileCommand, PrintsTheOpenMpiFileOfAGivenInventory) {
  ASSERT_TRUE(sys::write_file_atomically(dir_ + "/other.toml", kCluster));
  auto result = beowulf({"machinefile", "--format", "openmpi", "--inventory", dir_ + "/other.toml"});
  EXPECT_EQ(result.out,
            "# Open MPI machine file written by beowulf: 'beowulf machinefile --format openmpi' prints it.\n"
            "198.18.0.10 slots=1\n198.18.0.11 slots=2\n");
  EXPECT_EQ(result.exit_code, 0);
}

TEST_F(MachinefileCommand, SaysThereIsNoClusterWhenThereIsNoInventory) {
  auto result = beowulf({"machinefile"}, dir_);
  EXPECT_EQ(result.out, "");
  EXPECT_EQ(result.err,
            "beowulf: error: no cluster here: ~/.beowulf/cluster.toml does not exist\n"
            "hint: run 'beowulf init' on the master first\n");
  EXPECT_EQ(result.exit_code, 1);
}

TEST_F(MachinefileCommand, RefusesABadInventoryWithItsLine) {
  std::string text = kCluster;
  text.replace(text.find("198.18.0.11"), 11, "198.18.0.255");
  ASSERT_TRUE(sys::write_file_atomically(dir_ + "/cluster.toml", text));
  auto result = beowulf({"machinefile"});
  EXPECT_EQ(result.out, "");
  EXPECT_EQ(result.err, "beowulf: error: " + dir_ +
                            "/cluster.toml:6: node 'worker001': address: 198.18.0.255 is the broadcast address of "
                            "198.18.0.0/24: no host can use it\n"
                            "hint: give the node an address from 198.18.0.1 to 198.18.0.254\n");
  EXPECT_EQ(result.exit_code, 2);
}

TEST_F(MachinefileCommand, RefusesAnUnknownFormat) {
  auto result = beowulf({"machinefile", "--format", "lam"});
  EXPECT_NE(result.err.find("beowulf: error: --format: lam not in {mpich,openmpi}"), std::string::npos) << result.err;
  EXPECT_EQ(result.exit_code, 2);
}

TEST_F(MachinefileCommand, HelpShowsAnExample) {
  auto result = beowulf({"machinefile", "--help"});
  EXPECT_NE(result.out.find("beowulf machinefile > machine_file && mpiexec.mpich -f machine_file -n 4 beowulf-cpi"),
            std::string::npos)
      << result.out;
  EXPECT_EQ(result.exit_code, 0);
}

}  // namespace
}  // namespace beowulf
