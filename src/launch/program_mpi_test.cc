#include "launch/program_mpi.h"

#include <gtest/gtest.h>

#include <filesystem>

namespace beowulf::launch {
namespace {

TEST(ProgramMpi, KnowsAPythonInterpreterByName) {
  EXPECT_TRUE(is_python("/usr/bin/python3"));
  EXPECT_TRUE(is_python("/usr/bin/python3.11"));
  EXPECT_TRUE(is_python("/usr/bin/python"));
  EXPECT_FALSE(is_python("/usr/bin/python3-config"));
  EXPECT_FALSE(is_python("/home/linaro/python3/ring_c"));
}

TEST(ProgramMpi, AProgramNeedsTheMpiItLinks) {
#ifdef BEOWULF_TESTS_EMULATED_BY
  GTEST_SKIP() << "under " BEOWULF_TESTS_EMULATED_BY ": this machine's ldd finds \"not a dynamic executable\" "
                  "in a program of another architecture";
#endif
  std::string cpi = std::string(BEOWULF_BINARY_DIR) + "/examples/beowulf-cpi";
  auto needs = program_mpi(cpi, "beowulf-cpi");
  ASSERT_TRUE(needs);
  EXPECT_EQ(needs->kind, MpiKind::mpich);
  EXPECT_EQ(needs->reason, "beowulf-cpi is built with it");
  EXPECT_EQ(program_mpi("/bin/true", "true"), std::nullopt);
}

TEST(ProgramMpi, APythonScriptNeedsTheMpiOfMpi4py) {
  auto needs = program_mpi("/usr/bin/python3", "python3");
  ASSERT_TRUE(needs) << "python3-mpi4py is installed by scripts/install-deps";
  EXPECT_EQ(needs->kind, MpiKind::openmpi);  // Debian's python3-mpi4py is built on Open MPI
  EXPECT_EQ(needs->reason, "mpi4py is built with it");
  EXPECT_TRUE(std::filesystem::exists(needs->mpi4py_module)) << needs->mpi4py_module;
}

TEST(ProgramMpi, EachMpiHasItsLauncherHereAndItsDaemonOnTheNodes) {
  EXPECT_EQ(installed_mpi(MpiKind::mpich).value().mpiexec, "/usr/bin/mpiexec.mpich");
  EXPECT_EQ(installed_mpi(MpiKind::openmpi).value().mpiexec, "/usr/bin/mpiexec.openmpi");
  EXPECT_EQ(node_daemon(MpiKind::mpich), "/usr/bin/hydra_pmi_proxy");
  EXPECT_EQ(node_daemon(MpiKind::openmpi), "/usr/bin/orted");
  EXPECT_EQ(package_of(MpiKind::mpich), "mpich");
  EXPECT_EQ(package_of(MpiKind::openmpi), "openmpi-bin");
}

}  // namespace
}  // namespace beowulf::launch
