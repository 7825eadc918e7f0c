// `beowulf run` on a virtual cluster whose boards joined: MPICH and Open MPI, a program
// missing or different on a worker (synced), a node down (named, no hang), stdin to rank
// 0, the MPI a program is built with, an mpi4py script and its input file, -w/-x, --env.

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

// One sim per test process (ctest runs each test alone): related checks share one.
TEST_F(RunOnCluster, RunsWithMpichSyncingTheProgram) {
  {
    SCOPED_TRACE("RunsCpiOnEverySlotWithRankZeroOnTheMaster");
    auto r = beowulf({"run", "beowulf-cpi"});
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    auto ranks = ranks_in(r.out);
    EXPECT_EQ(ranks.hosts, kEveryHost);
    EXPECT_EQ(ranks.rank0, "linaro-nano");
    EXPECT_THAT(r.out, HasSubstr("pi is approximately 3.14159265"));
  }
  {
    SCOPED_TRACE("FillsTheMasterFirst");
    auto r = beowulf({"run", "-n", "1", "beowulf-cpi"});
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_THAT(r.out, HasSubstr("Process 0 of 1 is on linaro-nano\n"));
  }
  {
    SCOPED_TRACE("CopiesAProgramMissingOnOneWorker");
    std::string cpi = std::string(BEOWULF_BINARY_DIR) + "/examples/beowulf-cpi";
    for (const char* node : {"master", "node1", "node3"})
      ASSERT_EQ(shell(node, "mkdir -p bin && cp " + cpi + " bin/cpi-missing").exit_code, 0);
    auto r = beowulf({"run", "bin/cpi-missing"});
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_EQ(r.err, "run: launching with MPICH: cpi-missing is built with it\n"
                     "run: sent bin/cpi-missing to worker002\n");
    EXPECT_EQ(ranks_in(r.out).hosts, kEveryHost);
    EXPECT_EQ(shell("node2", "cmp bin/cpi-missing " + cpi + " && stat -c %a bin/cpi-missing").out, "755\n");
  }
  {
    SCOPED_TRACE("ReplacesADifferentProgramOnOneWorker");
    std::string cpi = std::string(BEOWULF_BINARY_DIR) + "/examples/beowulf-cpi";
    for (const char* node : {"master", "node1", "node2", "node3"})
      ASSERT_EQ(shell(node, "mkdir -p bin && cp " + cpi + " bin/cpi-different").exit_code, 0);
    ASSERT_EQ(shell("node2", "cp /bin/true bin/cpi-different").exit_code, 0);
    auto r = beowulf({"run", "/home/linaro/bin/cpi-different"});
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_EQ(r.err, "run: launching with MPICH: cpi-different is built with it\n"
                     "run: sent bin/cpi-different to worker002\n");
    EXPECT_EQ(ranks_in(r.out).hosts, kEveryHost);
  }
}

TEST_F(RunOnCluster, NamesANodeThatIsDownAndLaunchesNothing) {
  ASSERT_TRUE(sim().fault("node3", "link-down").ok());
  auto start = Clock::now();
  auto r = beowulf({"run", "beowulf-cpi"});
  auto took = Clock::now() - start;
  ASSERT_TRUE(sim().heal("node3").ok());
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out, "");
  EXPECT_THAT(r.err, HasSubstr("beowulf: error: worker003 (" + sim().address("node3") + "): does not answer: "));
  EXPECT_LT(took, std::chrono::seconds(30));
}

TEST_F(RunOnCluster, RunsWithOpenMpi) {
  {
    SCOPED_TRACE("RefusesAnMpichProgramUnderOpenMpi");
    auto r = beowulf({"run", "--mpi", "openmpi", "beowulf-cpi"});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_THAT(r.err, HasSubstr("is built with MPICH but would be launched by Open MPI\nhint: pass --mpi mpich\n"));
  }
  {
    SCOPED_TRACE("RunsAnOpenMpiProgramWithOpenMpi");
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
}

/// Builds testdata/SOURCE in the master with `compiler` as ~/bin/NAME.
void build_in_master(const std::string& compiler, const std::string& source, const std::string& name) {
  std::string path = std::string(BEOWULF_SOURCE_DIR) + "/src/cli/testdata/" + source;
  auto built = RunOnCluster::shell("master", "mkdir -p bin && " + compiler + " -O2 -o bin/" + name + " " + path);
  ASSERT_EQ(built.exit_code, 0) << built.err;
}

TEST_F(RunOnCluster, FeedsStdinToRankZeroWithTheMpiTheProgramIsBuiltWith) {
  {
    SCOPED_TRACE("AnMpichProgramReadsAPipe");
    ASSERT_NO_FATAL_FAILURE(build_in_master("mpicc.mpich", "read_intervals.c", "intervals-mpich"));
    auto r = beowulf({"run", "bin/intervals-mpich"}, "100000\n0\n");
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_EQ(r.err, "run: launching with MPICH: intervals-mpich is built with it\n"
                     "run: sent bin/intervals-mpich to worker[001-003]\n");
    EXPECT_THAT(r.out, HasSubstr("100000 intervals on 4 ranks: pi is about 3.1415926536\n"));
    EXPECT_THAT(r.out, ::testing::Not(HasSubstr("no number read")));
  }
  {
    SCOPED_TRACE("TheEndOfInputReachesTheProgram");
    auto r = beowulf({"run", "bin/intervals-mpich"}, "");
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_EQ(r.err, "run: launching with MPICH: intervals-mpich is built with it\n");  // nothing sent again
    EXPECT_THAT(r.out, HasSubstr("no number read; stopping\n"));
  }
  {
    SCOPED_TRACE("ATerminalStaysATerminal");  // script(1) gives beowulf a pseudo-terminal as stdin
    auto r = shell("master", "PATH=" + built_path().substr(5) +
                                 " script -qec 'beowulf run bin/intervals-mpich; echo status $?' /dev/null",
                   "3000\n0\n");
    EXPECT_THAT(r.out, HasSubstr("3000 intervals on 4 ranks: pi is about 3.14159")) << r.out << r.err;
    EXPECT_THAT(r.out, HasSubstr("status 0")) << r.out << r.err;
  }
  {
    SCOPED_TRACE("AnOpenMpiProgramIsLaunchedWithOpenMpiWithoutBeingTold");
    ASSERT_NO_FATAL_FAILURE(build_in_master("mpicc.openmpi", "read_intervals.c", "intervals-openmpi"));
    auto r = beowulf({"run", "bin/intervals-openmpi"}, "2000\n0\n");
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_EQ(r.err, "run: launching with Open MPI: intervals-openmpi is built with it\n"
                     "run: sent bin/intervals-openmpi to worker[001-003]\n");
    EXPECT_THAT(r.out, HasSubstr("2000 intervals on 4 ranks: pi is about 3.14159"));
  }
  {
    SCOPED_TRACE("ARankThatExits3MakesRunFail");
    ASSERT_NO_FATAL_FAILURE(build_in_master("mpicc.mpich", "exit_on_rank.c", "exit-on-rank"));
    auto ok = beowulf({"run", "bin/exit-on-rank"});
    EXPECT_EQ(ok.exit_code, 0) << ok.out << ok.err;
    auto r = beowulf({"run", "bin/exit-on-rank", "2", "3"});
    EXPECT_EQ(r.exit_code, 3) << r.out << r.err;
  }
}

TEST_F(RunOnCluster, BringsAnMpi4pyScriptAndItsInputToEveryNode) {
  std::string script = std::string(BEOWULF_SOURCE_DIR) + "/src/cli/testdata/sum_numbers.py";
  ASSERT_EQ(shell("master", "mkdir -p work && cp " + script + " work/sum.py && seq 1 100 > work/data.txt").exit_code, 0);
  auto in_work = [](std::vector<std::string> args) {
    std::string line = "cd work && beowulf";
    for (const auto& a : args) line += " '" + a + "'";
    return shell("master", "PATH=" + built_path().substr(5) + " && export PATH && " + line);
  };
  {
    SCOPED_TRACE("TheScriptAndItsInputAreSentAndEveryRankPrintsTheSum");
    auto r = in_work({"run", "python3", "sum.py", "data.txt"});
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_EQ(r.err, "run: launching with Open MPI: mpi4py is built with it\n"
                     "run: sent sum.py, data.txt to worker[001-003]\n");
    for (const char* host : {"linaro-nano", "worker001", "worker002", "worker003"})
      EXPECT_THAT(r.out, ::testing::ContainsRegex(std::string("rank [0-3] of 4 on ") + host + ": total 5050\n"));
  }
  {
    SCOPED_TRACE("UnchangedFilesAreNotSentAgain");
    auto r = in_work({"run", "python3", "sum.py", "data.txt"});
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_EQ(r.err, "run: launching with Open MPI: mpi4py is built with it\n");
  }
  {
    SCOPED_TRACE("AChangedFileIsSentAgain");
    ASSERT_EQ(shell("master", "seq 1 10 > work/data.txt").exit_code, 0);
    auto r = in_work({"run", "python3", "sum.py", "data.txt"});
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_EQ(r.err, "run: launching with Open MPI: mpi4py is built with it\n"
                     "run: sent data.txt to worker[001-003]\n");
    EXPECT_THAT(r.out, HasSubstr("on worker003: total 55\n"));
  }
  {
    SCOPED_TRACE("AMissingSyncPathIsRefusedBeforeLaunch");
    auto r = in_work({"run", "--sync", "inputs/", "python3", "sum.py", "data.txt"});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(r.out, "");
    EXPECT_EQ(r.err, "beowulf: error: --sync inputs/: no such file or folder\n");
  }
  {
    SCOPED_TRACE("SyncBringsAFolder");
    ASSERT_EQ(shell("master", "mkdir -p work/params/deep && echo 1 > work/params/a && echo 2 > work/params/deep/b")
                  .exit_code, 0);
    auto r = in_work({"run", "--sync", "params", "python3", "sum.py", "data.txt"});
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_EQ(r.err, "run: launching with Open MPI: mpi4py is built with it\n"
                     "run: sent params/a, params/deep/b to worker[001-003]\n");
    EXPECT_EQ(shell("node2", "cat work/params/deep/b").out, "2\n");
  }
}

// Ctrl-C from a terminal, or SIGINT to run's process group from a script: every rank on
// every node ends, and run says it was interrupted (130), not the 0 hydra exits with.
TEST_F(RunOnCluster, AnInterruptEndsEveryRankAndExits130) {
  // The nodes share this machine's process table: pgrep in the master sees every node's
  // ranks. Waits are bounded polls for what must happen, never a fixed sleep.
  std::string ranks = "pgrep -cf '^/bin/sleep 4217'";
  auto r = shell("master", "PATH=" + built_path().substr(5) + "; export PATH\n"
                           "setsid beowulf run --mpi mpich /bin/sleep 4217 </dev/null >/dev/null 2>run.err &\n"
                           "job=$!\n"
                           "for i in $(seq 300); do [ $(" + ranks + ") -ge 4 ] && break; sleep 0.1; done\n"
                           "echo \"ranks $(" + ranks + ")\"\n"
                           "kill -INT -$job\n"
                           "wait $job; echo \"status $?\"\n"
                           "for i in $(seq 100); do [ $(" + ranks + ") -eq 0 ] && break; sleep 0.1; done\n"
                           "echo \"left $(" + ranks + ")\"\n"
                           "cat run.err >&2\n");
  EXPECT_EQ(r.out, "ranks 4\nstatus 130\nleft 0\n") << r.err;

  // A real Ctrl-C: the ^C character typed on run's terminal (script(1) gives it a
  // pseudo-terminal and passes our bytes on), which the terminal turns into SIGINT for
  // its foreground group. hydra alone getting it exits 0.
  std::string on_terminal = "pgrep -cf '^/bin/sleep 4218'";
  std::string running = "pgrep -f '^beowulf run --mpi mpich /bin/sleep 4218' >/dev/null";
  auto t = shell("master", "PATH=" + built_path().substr(5) + "; export PATH\n"
                           "( for i in $(seq 300); do [ $(" + on_terminal + ") -ge 4 ] && break; sleep 0.1; done\n"
                           "  printf '\\003'\n"
                           "  for i in $(seq 300); do " + running + " || break; sleep 0.1; done ) |\n"
                           "script -qec 'beowulf run --mpi mpich /bin/sleep 4218; echo status $?' /dev/null\n"
                           "for i in $(seq 100); do [ $(" + on_terminal + ") -eq 0 ] && break; sleep 0.1; done\n"
                           "echo \"left $(" + on_terminal + ")\"\n");
  EXPECT_THAT(t.out, HasSubstr("status 130")) << t.out << t.err;
  EXPECT_THAT(t.out, HasSubstr("left 0\n")) << t.out << t.err;
}

TEST_F(RunOnCluster, PutsRanksOnlyOnTheChosenNodesWithTheirEnvironment) {
  {
    SCOPED_TRACE("OnlyTheMembersOfW");
    auto r = beowulf({"run", "-w", "worker[001-002]", "beowulf-cpi"});
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_EQ(ranks_in(r.out).hosts, (std::set<std::string>{"worker001", "worker002"}));
  }
  {
    SCOPED_TRACE("NotTheMembersOfX");
    auto r = beowulf({"run", "-x", "worker003", "beowulf-cpi"});
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_EQ(ranks_in(r.out).hosts, (std::set<std::string>{"linaro-nano", "worker001", "worker002"}));
    EXPECT_EQ(ranks_in(r.out).rank0, "linaro-nano");
  }
  for (const char* mpi : {"mpich", "openmpi"}) {
    SCOPED_TRACE(std::string("EnvReachesEveryRankWith") + mpi);
    auto r = beowulf({"run", "--mpi", mpi, "--env", "GREETING=hello there", "printenv", "GREETING"});
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_EQ(r.out, "hello there\nhello there\nhello there\nhello there\n");
  }
}

}  // namespace
}  // namespace beowulf::cli
