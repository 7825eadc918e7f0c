#include "launch/mpiexec_command.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace beowulf::launch {
namespace {

using ::testing::ElementsAre;

Launch cpi_on(MpiKind kind) {
  Launch l;
  l.mpi = {kind, "x", kind == MpiKind::mpich ? "/usr/bin/mpiexec.mpich" : "/usr/bin/mpiexec.openmpi"};
  l.machine_file = "/home/linaro/.beowulf/machinefile";
  l.ranks = 4;
  l.program = "/usr/local/bin/beowulf-cpi";
  l.args = {"-n", "100000"};
  return l;
}

TEST(MpiexecCommand, MpichTakesTheMachineFileAndPinsTheInterface) {
  auto l = cpi_on(MpiKind::mpich);
  l.interface = "eth0";
  EXPECT_THAT(mpiexec_argv(l),
              ElementsAre("/usr/bin/mpiexec.mpich", "-f", "/home/linaro/.beowulf/machinefile", "-iface", "eth0", "-n",
                          "4", "/usr/local/bin/beowulf-cpi", "-n", "100000"));
}

TEST(MpiexecCommand, MpichWithoutInterfaceLeavesTheChoiceToHydra) {
  auto l = cpi_on(MpiKind::mpich);
  EXPECT_THAT(mpiexec_argv(l), ElementsAre("/usr/bin/mpiexec.mpich", "-f", "/home/linaro/.beowulf/machinefile", "-n",
                                           "4", "/usr/local/bin/beowulf-cpi", "-n", "100000"));
}

TEST(MpiexecCommand, OpenMpiTakesTheHostfileAndPinsTheSubnet) {
  auto l = cpi_on(MpiKind::openmpi);
  l.machine_file = "/home/linaro/.beowulf/hostfile";
  l.subnet = "198.18.0.0/24";
  EXPECT_THAT(mpiexec_argv(l),
              ElementsAre("/usr/bin/mpiexec.openmpi", "--hostfile", "/home/linaro/.beowulf/hostfile", "--mca",
                          "btl_tcp_if_include", "198.18.0.0/24", "--mca", "oob_tcp_if_include", "198.18.0.0/24",
                          "--mca", "plm_rsh_no_tree_spawn", "1", "-n", "4", "/usr/local/bin/beowulf-cpi", "-n",
                          "100000"));
}

TEST(MpiexecCommand, OpenMpiAsRootSaysSoExplicitly) {
  auto l = cpi_on(MpiKind::openmpi);
  l.as_root = true;
  auto argv = mpiexec_argv(l);
  EXPECT_NE(std::find(argv.begin(), argv.end(), "--allow-run-as-root"), argv.end());
}

}  // namespace
}  // namespace beowulf::launch
