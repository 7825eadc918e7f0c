#include "slurm/slurm_conf.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace beowulf::slurm {
namespace {

using ::testing::HasSubstr;

TEST(ParseSlurmdC, ReadsNameCpusAndMemoryFromTheFirstLine) {
  auto hw = parse_slurmd_c(
      "NodeName=worker001 CPUs=2 Boards=1 SocketsPerBoard=1 CoresPerSocket=2 ThreadsPerCore=1 RealMemory=3936\n"
      "UpTime=0-00:13:31\n",
      "worker001 (198.18.0.11)");
  ASSERT_TRUE(hw.ok()) << hw.error().message();
  EXPECT_EQ(hw->name, "worker001");
  EXPECT_EQ(hw->cpus, 2);
  EXPECT_EQ(hw->memory, 3936);
}

TEST(ParseSlurmdC, RefusesALineWithoutMemoryNamingTheNode) {
  auto hw = parse_slurmd_c("NodeName=worker001 CPUs=2\n", "worker001 (198.18.0.11)");
  ASSERT_FALSE(hw.ok());
  EXPECT_EQ(hw.error().message(),
            "worker001 (198.18.0.11): slurmd -C: expected 'NodeName=... CPUs=N ... RealMemory=MiB', got "
            "'NodeName=worker001 CPUs=2'");
  EXPECT_EQ(hw.error().hint, "check that slurmd runs on the node: slurmd -C");
}

TEST(ParseSlurmdC, RefusesANumberThatIsNotOne) {
  EXPECT_FALSE(parse_slurmd_c("NodeName=w CPUs=2x RealMemory=100", "w").ok());
  EXPECT_FALSE(parse_slurmd_c("NodeName=w CPUs=0 RealMemory=100", "w").ok());
  EXPECT_FALSE(parse_slurmd_c("", "w").ok());
  EXPECT_FALSE(parse_slurmd_c("NodeName= CPUs=1 RealMemory=100", "w").ok());
}

TEST(DeclaredMemory, IsOnePercentLessRoundedDownTo64MiB) {
  EXPECT_EQ(declared_memory(3936), 3840);   // 3897 -> 3840
  EXPECT_EQ(declared_memory(24105), 23808);  // 23864 -> 23808
  EXPECT_EQ(declared_memory(1024), 960);    // 1014 -> 960: never exactly what the node has
  EXPECT_EQ(declared_memory(50), 1);
}

TEST(SlurmConf, DeclaresEveryNodeWithTheMasterAsController) {
  ConfPlan plan{"lab",
                {"linaro-nano", "198.18.0.10"},
                {{"linaro-nano", "198.18.0.10", 1, 960}, {"worker001", "198.18.0.11", 2, 3840}},
                Layout::virtual_cluster};
  EXPECT_EQ(slurm_conf(plan),
            "# slurm.conf of cluster lab, written by 'beowulf slurm up' from the inventory and each\n"
            "# node's 'slurmd -C' and 'nproc'; the same file on every node. Do not edit it here:\n"
            "# change the cluster (beowulf add/remove), then run 'beowulf slurm up' again.\n"
            "ClusterName=lab\n"
            "SlurmctldHost=linaro-nano(198.18.0.10)\n"
            "SlurmUser=slurm\n"
            "AuthType=auth/munge\n"
            "CredType=cred/munge\n"
            "SlurmctldPort=6817\n"
            "SlurmdPort=6818\n"
            "StateSaveLocation=/run/slurm/state\n"
            "SlurmdSpoolDir=/run/slurm/spool\n"
            "SlurmctldPidFile=/run/slurm/slurmctld.pid\n"
            "SlurmdPidFile=/run/slurm/slurmd.pid\n"
            "SlurmctldLogFile=/run/slurm/slurmctld.log\n"
            "SlurmdLogFile=/run/slurm/slurmd.log\n"
            "# Each node's cores and memory are the ones declared below, not the ones slurmd finds.\n"
            "SlurmdParameters=config_overrides\n"
            "ProctrackType=proctrack/linuxproc\n"
            "TaskPlugin=task/none\n"
            "MpiDefault=none\n"
            "SchedulerType=sched/backfill\n"
            "SelectType=select/cons_tres\n"
            "SelectTypeParameters=CR_CPU\n"
            "# A node that was DOWN comes back by itself once its slurmd registers again.\n"
            "ReturnToService=2\n"
            "# A node whose slurmd stops answering is DOWN after 30 s.\n"
            "SlurmdTimeout=30\n"
            "JobAcctGatherType=jobacct_gather/none\n"
            "AccountingStorageType=accounting_storage/none\n"
            "NodeName=linaro-nano NodeAddr=198.18.0.10 CPUs=1 RealMemory=960 State=UNKNOWN\n"
            "NodeName=worker001 NodeAddr=198.18.0.11 CPUs=2 RealMemory=3840 State=UNKNOWN\n"
            "PartitionName=beowulf Nodes=ALL Default=YES MaxTime=INFINITE State=UP\n");
}

TEST(SlurmConf, OnBoardsUsesDebiansPlacesThatItsUnitsExpect) {
  auto text = slurm_conf({"beowulf", {"master", "10.0.0.1"}, {{"master", "10.0.0.1", 4, 3840}}, Layout::boards});
  EXPECT_THAT(text, HasSubstr("StateSaveLocation=/var/lib/slurm/slurmctld\n"));
  EXPECT_THAT(text, HasSubstr("SlurmdPidFile=/run/slurmd.pid\n"));
  EXPECT_THAT(text, HasSubstr("SlurmctldLogFile=/var/log/slurm/slurmctld.log\n"));
}

TEST(CgroupConf, IsV1OnTheVirtualClusterAndAutodetectOnBoards) {
  EXPECT_EQ(cgroup_conf(Layout::virtual_cluster), "# cgroup.conf written by 'beowulf slurm up'.\nCgroupPlugin=cgroup/v1\n");
  EXPECT_EQ(cgroup_conf(Layout::boards), "# cgroup.conf written by 'beowulf slurm up'.\nCgroupPlugin=autodetect\n");
}

TEST(ClusterName, KeepsLowerCaseLettersAndDigits) {
  EXPECT_EQ(cluster_name("Lab-2"), "lab_2");
  EXPECT_EQ(cluster_name(""), "beowulf");
  EXPECT_EQ(cluster_name("--"), "beowulf");
}

}  // namespace
}  // namespace beowulf::slurm
