#include "slurm/slurm_doctor.h"

#include <gtest/gtest.h>

namespace beowulf::slurm {
namespace {

Node worker(const std::string& name, const std::string& address) {
  Node n;
  n.name = name;
  n.address = parse_ipv4(address).value();
  n.user = "linaro";
  return n;
}

const std::string kHash(64, 'a');

TEST(JudgeNode, AllWellGivesFourGoodFindings) {
  auto found = judge_node(worker("worker001", "198.18.0.11"), kHash,
                          "conf " + kHash + "\nmunge ok\nkey ok\ncontroller ok\n");
  ASSERT_EQ(found.size(), 4u);
  for (const auto& f : found) EXPECT_TRUE(f.ok) << f.check << ": " << f.evidence;
}

TEST(JudgeNode, NamesEachCauseWithItsFix) {
  auto found = judge_node(worker("worker002", "198.18.0.12"), kHash,
                          "conf " + std::string(64, 'b') +
                              "\nmunge unmunge: Error: Unable to access \"/run/munge/munge.socket.2\": No such file\n"
                              "key unmunge: Error: Invalid credential\n"
                              "controller Slurmctld(primary) at linaro-nano is DOWN\n");
  ASSERT_EQ(found.size(), 4u);
  EXPECT_EQ(found[0].check, "slurm-munge");
  EXPECT_FALSE(found[0].ok);
  EXPECT_EQ(found[0].evidence,
            "munged does not answer: unmunge: Error: Unable to access \"/run/munge/munge.socket.2\": No such file");
  EXPECT_EQ(found[0].fix, "beowulf slurm up (it starts munged where it is stopped)");
  EXPECT_TRUE(found[1].skipped);
  EXPECT_EQ(found[1].evidence, "not checked: munged does not answer");
  EXPECT_EQ(found[2].evidence, "its /etc/slurm/slurm.conf differs from the master's (sha256 bbbbbbbbbbbb)");
  EXPECT_TRUE(found[3].skipped);
}

TEST(JudgeNode, AnotherKeyIsToldApartFromAStoppedMunged) {
  auto found = judge_node(worker("worker002", "198.18.0.12"), kHash,
                          "conf " + kHash + "\nmunge ok\nkey unmunge: Error: Invalid credential\ncontroller ok\n");
  EXPECT_FALSE(found[1].ok);
  EXPECT_EQ(found[1].evidence,
            "cannot decode the master's credential: unmunge: Error: Invalid credential (another munge key, or a clock "
            "apart)");
  EXPECT_EQ(found[1].fix, "beowulf slurm up (it puts the master's key on every node and restarts munged)");
}

TEST(JudgeStates, ADownNodeShowsItsReasonAndTheFix) {
  auto found = judge_states({worker("worker001", "198.18.0.11"), worker("worker002", "198.18.0.12"),
                             worker("worker003", "198.18.0.13")},
                            "worker001|idle|none\nworker002|down*|Not responding\n");
  ASSERT_EQ(found.size(), 3u);
  EXPECT_TRUE(found[0].ok);
  EXPECT_FALSE(found[1].ok);
  EXPECT_EQ(found[1].evidence, "down* (Not responding)");
  EXPECT_EQ(found[1].fix, "beowulf slurm up (it starts slurmd where it is stopped)");
  EXPECT_EQ(found[2].evidence, "not in Slurm's node list");
}

TEST(JudgeStates, AnIdleNodeThatDoesNotAnswerIsNotWell) {
  auto found = judge_states({worker("worker002", "198.18.0.12")}, "worker002|idle*|none\n");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_FALSE(found[0].ok);
  EXPECT_EQ(found[0].evidence, "idle* (its slurmd does not answer the controller)");
}

TEST(JudgeStates, ADrainedNodeIsResumedAndLowMemoryRedeclared) {
  auto found = judge_states({worker("worker001", "198.18.0.11"), worker("worker002", "198.18.0.12")},
                            "worker001|drain|maintenance\nworker002|inval|Low RealMemory (reported:900 < 100.00% of "
                            "configured:960)\n");
  EXPECT_EQ(found[0].fix, "sudo scontrol update nodename=worker001 state=resume");
  EXPECT_EQ(found[1].fix, "beowulf slurm up (it declares the memory and cores each node has)");
}

}  // namespace
}  // namespace beowulf::slurm
