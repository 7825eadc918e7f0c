#include "sys/paths.h"

#include "sys/test_env.h"

#include <pwd.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cstdlib>
#include <optional>

namespace beowulf::sys {
namespace {

TEST(Paths, HomeComesFromHomeThenThePasswordDatabase) {
  {
    ScopedEnv home("HOME", "/home/linaro");
    EXPECT_EQ(home_directory(), "/home/linaro");
  }
  ScopedEnv home("HOME", std::nullopt);
  EXPECT_EQ(home_directory(), getpwuid(getuid())->pw_dir);
}

TEST(Paths, StateLivesInDotBeowulfUnlessBeowulfHomeSaysOtherwise) {
  ScopedEnv home("HOME", "/home/linaro");
  {
    ScopedEnv beowulf("BEOWULF_HOME", std::nullopt);
    EXPECT_EQ(beowulf_home(), "/home/linaro/.beowulf");
    EXPECT_EQ(inventory_path(), "/home/linaro/.beowulf/cluster.toml");
  }
  ScopedEnv beowulf("BEOWULF_HOME", "/tmp/test-cluster");
  EXPECT_EQ(inventory_path(), "/tmp/test-cluster/cluster.toml");
  EXPECT_EQ(machine_file_path(MachineFileFormat::mpich), "/tmp/test-cluster/machinefile");
  EXPECT_EQ(machine_file_path(MachineFileFormat::openmpi), "/tmp/test-cluster/hostfile");
}

TEST(Paths, DisplayWritesTheHomeAsATilde) {
  ScopedEnv home("HOME", "/home/linaro/");
  EXPECT_EQ(display_path("/home/linaro/.beowulf/cluster.toml"), "~/.beowulf/cluster.toml");
  EXPECT_EQ(display_path("/home/linaro"), "~");
  EXPECT_EQ(display_path("/home/linaro2/x"), "/home/linaro2/x");
  EXPECT_EQ(display_path("/etc/hosts"), "/etc/hosts");
  ScopedEnv root("HOME", "/");
  EXPECT_EQ(display_path("/etc/hosts"), "/etc/hosts");
}

}  // namespace
}  // namespace beowulf::sys
