// `beowulf run` on a virtual cluster whose boards joined: MPICH and Open MPI, a program
// missing or different on a worker (synced), a node down (named, no hang).

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <regex>
#include <set>
#include <sstream>

#include "cli/joined_cluster.h"

namespace beowulf::cli {
namespace {

using ::testing::HasSubstr;
using Clock = std::chrono::steady_clock;

class RunOnCluster : public JoinedCluster<RunOnCluster> {
 public:
  static sim::UpOptions options() { return {.workers = 3}; }
  static std::string suffix() { return "r"; }
};

/// The hosts of the "Process k of N is on HOST" lines, and the host of rank 0.
struct Ranks {
  std::set<std::string> hosts;
  std::string rank0;
  int count = 0;
};

Ranks ranks_in(const std::string& out) {
  Ranks ranks;
  static const std::regex line(R"(Process (\d+) of (\d+) is on (\S+))");
  std::istringstream in(out);
  for (std::string text; std::getline(in, text);) {
    std::smatch m;
    if (!std::regex_match(text, m, line)) continue;
    ranks.hosts.insert(m[3]);
    ranks.count = std::stoi(m[2]);
    if (m[1] == "0") ranks.rank0 = m[3];
  }
  return ranks;
}

const std::set<std::string> kEveryHost = {"linaro-nano", "worker001", "worker002", "worker003"};

TEST_F(RunOnCluster, RunsCpiOnEverySlotWithRankZeroOnTheMaster) {
  auto r = beowulf({"run", "beowulf-cpi"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  auto ranks = ranks_in(r.out);
  EXPECT_EQ(ranks.hosts, kEveryHost);
  EXPECT_EQ(ranks.rank0, "linaro-nano");
  EXPECT_THAT(r.out, HasSubstr("pi is approximately 3.14159265"));
}

TEST_F(RunOnCluster, FillsTheMasterFirst) {
  auto r = beowulf({"run", "-n", "1", "beowulf-cpi"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_THAT(r.out, HasSubstr("Process 0 of 1 is on linaro-nano\n"));
}

TEST_F(RunOnCluster, CopiesAProgramMissingOnOneWorker) {
  std::string cpi = std::string(BEOWULF_BINARY_DIR) + "/examples/beowulf-cpi";
  for (const char* node : {"master", "node1", "node3"})
    ASSERT_EQ(shell(node, "mkdir -p bin && cp " + cpi + " bin/cpi-missing").exit_code, 0);
  auto r = beowulf({"run", "bin/cpi-missing"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(r.err, "run: copied /home/linaro/bin/cpi-missing to worker002\n");
  EXPECT_EQ(ranks_in(r.out).hosts, kEveryHost);
  EXPECT_EQ(shell("node2", "cmp bin/cpi-missing " + cpi + " && stat -c %a bin/cpi-missing").out, "755\n");
}

TEST_F(RunOnCluster, ReplacesADifferentProgramOnOneWorker) {
  std::string cpi = std::string(BEOWULF_BINARY_DIR) + "/examples/beowulf-cpi";
  for (const char* node : {"master", "node1", "node2", "node3"})
    ASSERT_EQ(shell(node, "mkdir -p bin && cp " + cpi + " bin/cpi-different").exit_code, 0);
  ASSERT_EQ(shell("node2", "cp /bin/true bin/cpi-different").exit_code, 0);
  auto r = beowulf({"run", "/home/linaro/bin/cpi-different"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(r.err, "run: copied /home/linaro/bin/cpi-different to worker002\n");
  EXPECT_EQ(ranks_in(r.out).hosts, kEveryHost);
}

TEST_F(RunOnCluster, NamesANodeThatIsDownAndLaunchesNothing) {
  ASSERT_TRUE(sim().fault("node3", "port-block", "22").ok());
  auto start = Clock::now();
  auto r = beowulf({"run", "beowulf-cpi"});
  auto took = Clock::now() - start;
  ASSERT_TRUE(sim().heal("node3").ok());
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out, "");
  EXPECT_THAT(r.err, HasSubstr("beowulf: error: worker003 (" + sim().address("node3") + "): does not answer: "));
  EXPECT_LT(took, std::chrono::seconds(30));
}

TEST_F(RunOnCluster, RunsAnOpenMpiProgramWithOpenMpi) {
  std::string source = std::string(BEOWULF_SOURCE_DIR) + "/examples/cpi.cc";
  auto built = shell("master", "mkdir -p bin && mpicxx.openmpi -O2 -o bin/cpi-openmpi " + source);
  ASSERT_EQ(built.exit_code, 0) << built.err;
  auto r = beowulf({"run", "--mpi", "openmpi", "bin/cpi-openmpi"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  auto ranks = ranks_in(r.out);
  EXPECT_EQ(ranks.hosts, kEveryHost);
  EXPECT_EQ(ranks.rank0, "linaro-nano");
  EXPECT_THAT(r.out, HasSubstr("pi is approximately 3.14159265"));
}

TEST_F(RunOnCluster, RefusesAnMpichProgramUnderOpenMpi) {
  auto r = beowulf({"run", "--mpi", "openmpi", "beowulf-cpi"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("is built with MPICH but would be launched by Open MPI\nhint: pass --mpi mpich\n"));
}

}  // namespace
}  // namespace beowulf::cli
