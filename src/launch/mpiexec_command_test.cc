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

TEST(MpiexecCommand, EachLauncherGetsTheEnvironmentInItsOwnFlag) {
  auto mpich = cpi_on(MpiKind::mpich);
  mpich.env = {{"OMP_NUM_THREADS", "1"}, {"GREETING", "hello world"}};
  EXPECT_THAT(mpiexec_argv(mpich),
              ElementsAre("/usr/bin/mpiexec.mpich", "-f", "/home/linaro/.beowulf/machinefile", "-genv",
                          "OMP_NUM_THREADS", "1", "-genv", "GREETING", "hello world", "-n", "4",
                          "/usr/local/bin/beowulf-cpi", "-n", "100000"));
  auto openmpi = cpi_on(MpiKind::openmpi);
  openmpi.env = mpich.env;
  EXPECT_THAT(mpiexec_argv(openmpi),
              ElementsAre("/usr/bin/mpiexec.openmpi", "--hostfile", "/home/linaro/.beowulf/machinefile", "--mca",
                          "plm_rsh_no_tree_spawn", "1", "-x", "OMP_NUM_THREADS=1", "-x", "GREETING=hello world", "-n",
                          "4", "/usr/local/bin/beowulf-cpi", "-n", "100000"));
}

TEST(MpiexecCommand, EnvTakesNameAndValueOrTheValueHere) {
  EXPECT_EQ(parse_env_option("OMP_NUM_THREADS=1").value(), (std::pair<std::string, std::string>{"OMP_NUM_THREADS", "1"}));
  EXPECT_EQ(parse_env_option("EMPTY=").value(), (std::pair<std::string, std::string>{"EMPTY", ""}));
  EXPECT_EQ(parse_env_option("A=b=c").value(), (std::pair<std::string, std::string>{"A", "b=c"}));
  setenv("BEOWULF_TEST_VALUE", "from here", 1);
  EXPECT_EQ(parse_env_option("BEOWULF_TEST_VALUE").value(),
            (std::pair<std::string, std::string>{"BEOWULF_TEST_VALUE", "from here"}));
  unsetenv("BEOWULF_TEST_VALUE");
  auto unset = parse_env_option("BEOWULF_TEST_VALUE");
  ASSERT_FALSE(unset.ok());
  EXPECT_EQ(unset.error().kind, ErrorKind::bad_input);
  EXPECT_EQ(unset.error().message(), "--env BEOWULF_TEST_VALUE: BEOWULF_TEST_VALUE is not set here");
  EXPECT_EQ(unset.error().hint, "give its value: --env BEOWULF_TEST_VALUE=VALUE");
  auto bad = parse_env_option("1X=2");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().message(), "--env 1X=2: '1X' is not a variable name");
}

}  // namespace
}  // namespace beowulf::launch
