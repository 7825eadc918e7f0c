// `cmake --install` puts the header and a package config; an outside project then finds
// beowulf with find_package and links beowulf::taskfarm, as a user's project would.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "sys/process.h"

namespace beowulf {
namespace {

namespace fs = std::filesystem;

sys::ProcessResult run(std::vector<std::string> argv) {
  auto r = sys::run({.argv = std::move(argv), .timeout = std::chrono::seconds(300)});
  EXPECT_TRUE(r.ok()) << r.error().message();
  return r.ok() ? *r : sys::ProcessResult{};
}

TEST(Package, AnOutsideProjectBuildsAgainstTheInstalledPackage) {
#ifdef BEOWULF_TESTS_EMULATED_BY
  GTEST_SKIP() << "under " BEOWULF_TESTS_EMULATED_BY ": the outside project would be built by this machine's "
                  "compiler, whose find_package refuses a package cross-built for another architecture";
#endif
  fs::path dir = fs::temp_directory_path() / ("package_test." + std::to_string(getpid()));
  fs::remove_all(dir);
  std::string prefix = (dir / "prefix").string(), build = (dir / "build").string();

  auto install = run({BEOWULF_CMAKE, "--install", BEOWULF_BINARY_DIR, "--prefix", prefix,
                      "--component", "taskfarm"});
  ASSERT_EQ(install.exit_code, 0) << install.out << install.err;
  EXPECT_TRUE(fs::exists(dir / "prefix/include/beowulf/taskfarm.h"));
  EXPECT_TRUE(fs::exists(dir / "prefix/include/beowulf/taskfarm/farm.h"));

  auto configure = run({BEOWULF_CMAKE, "-S", std::string(BEOWULF_SOURCE_DIR) + "/src/taskfarm/testdata/outside",
                        "-B", build, "-G", "Ninja", "-DCMAKE_PREFIX_PATH=" + prefix,
                        std::string("-DMPI_CXX_COMPILER=") + BEOWULF_MPICXX,
                        std::string("-DMPI_C_COMPILER=") + BEOWULF_MPICC});
  ASSERT_EQ(configure.exit_code, 0) << configure.out << configure.err;
  auto compile = run({BEOWULF_CMAKE, "--build", build});
  ASSERT_EQ(compile.exit_code, 0) << compile.out << compile.err;

  auto program = run({BEOWULF_MPIEXEC, "-n", "2", build + "/outside"});
  EXPECT_EQ(program.exit_code, 0) << program.err;
  EXPECT_EQ(program.out, "squares of 1..10 sum to 385\n");
  fs::remove_all(dir);
}

}  // namespace
}  // namespace beowulf
