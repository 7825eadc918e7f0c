// Runs taskfarm-probe under mpiexec as a user would and checks what the master prints:
// results in order, failures as errors, stragglers, and journal resume after kill -9.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <regex>
#include <string>
#include <thread>

#include "beowulf/taskfarm/journal.h"
#include "sys/process.h"

namespace beowulf {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

const std::string kProbe = std::string(BEOWULF_BINARY_DIR) + "/src/taskfarm/taskfarm-probe";

std::vector<std::string> probe_argv(int ranks, std::vector<std::string> args) {
  std::vector<std::string> argv = {BEOWULF_MPIEXEC, "-n", std::to_string(ranks), kProbe};
  argv.insert(argv.end(), args.begin(), args.end());
  return argv;
}

sys::ProcessResult run_probe(int ranks, std::vector<std::string> args) {
  auto r = sys::run({.argv = probe_argv(ranks, std::move(args)), .timeout = std::chrono::seconds(120)});
  EXPECT_TRUE(r.ok()) << r.error().message();
  return r.ok() ? *r : sys::ProcessResult{};
}

/// sum of i*i + 1 for i < n: what the probe's tasks add up to.
std::string expected_sum(std::uint64_t n) {
  return "sum = " + std::to_string((n - 1) * n * (2 * n - 1) / 6 + n) + "\n";
}

/// How often each "task I" line appears in --each output.
std::map<std::string, int> task_lines(const std::string& out) {
  std::map<std::string, int> seen;
  std::regex line("task ([0-9]+) ");
  for (std::sregex_iterator it(out.begin(), out.end(), line), end; it != end; ++it) ++seen[(*it)[1]];
  return seen;
}

class FarmTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("farm_test." + std::to_string(getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "pids");
    journal_ = (dir_ / "run.journal").string();
  }
  void TearDown() override { fs::remove_all(dir_); }

  fs::path dir_;
  std::string journal_;
};

class FarmRanks : public FarmTest, public ::testing::WithParamInterface<int> {};

TEST_P(FarmRanks, MapReturnsEveryResultInOrder) {
  auto r = run_probe(GetParam(), {"--tasks", "1000"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr(expected_sum(1000) + "errors = 0\n"
                               "run 1000, from journal 0, reissued 0, duplicates 0\n"));
}

TEST_P(FarmRanks, ForEachResultGivesEachTaskOnce) {
  auto r = run_probe(GetParam(), {"--tasks", "200", "--each"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto seen = task_lines(r.out);
  EXPECT_EQ(seen.size(), 200u);
  for (auto& [task, times] : seen) EXPECT_EQ(times, 1) << "task " << task;
  EXPECT_THAT(r.out, HasSubstr("task 7 -> 50\n"));
  EXPECT_THAT(r.out, HasSubstr(expected_sum(200)));
}

// Batches of fixed-size results go back as one array; a task that throws in the middle
// of one splits it, and every result still reaches its own task.
TEST_P(FarmRanks, AThrowingTaskIsAnErrorAndTheFarmGoesOn) {
  auto r = run_probe(GetParam(), {"--tasks", "1000", "--each", "--fail-every", "10"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (std::uint64_t i = 0; i < 1000; ++i) {
    std::string n = std::to_string(i);
    std::string line = i % 10 == 0 ? "task " + n + " failed: task " + n + " failed on purpose\n"
                                    : "task " + n + " -> " + std::to_string(i * i + 1) + "\n";
    EXPECT_THAT(r.out, HasSubstr(line));
  }
  EXPECT_EQ(task_lines(r.out).size(), 1000u);
  EXPECT_THAT(r.out, HasSubstr("errors = 100\n"));
}

TEST_F(FarmTest, AStragglerIsGivenToAnIdleWorkerAndTheFirstResultWins) {
  // Task 19's first run sleeps 2 s; the other worker is idle by then and runs it again.
  auto r = run_probe(3, {"--tasks", "20", "--ms", "20", "--each", "--straggler", "19",
                         "--marker", (dir_ / "marker").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(task_lines(r.out)["19"], 1);
  EXPECT_THAT(r.out, HasSubstr(expected_sum(20) + "errors = 0\nrun 20, from journal 0, reissued 1,"));
}

TEST_F(FarmTest, AStragglersFirstRunAnsweringDuringTheCallIsNotDeliveredAgain) {
  // Task 3's first run sleeps 2 s and an idle worker runs a copy of its batch; task 10
  // takes 3 s on every run, so the call is still going when that first run answers.
  auto r = run_probe(4, {"--tasks", "20", "--each", "--straggler", "3", "--slow", "10", "--marker",
                         (dir_ / "marker").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const auto& [task, lines] : task_lines(r.out)) EXPECT_EQ(lines, 1) << "task " << task;
  EXPECT_THAT(r.out, HasSubstr(expected_sum(20) + "errors = 0\nrun 20, from journal 0, reissued "));
}

TEST_P(FarmRanks, ARerunWithTheSameJournalSkipsWhatIsDone) {
  auto first = run_probe(GetParam(), {"--tasks", "50", "--journal", journal_, "--fail-every", "7"});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_THAT(first.out, HasSubstr("errors = 8\nrun 50, from journal 0,"));
  auto again = run_probe(GetParam(), {"--tasks", "50", "--journal", journal_, "--fail-every", "7", "--each"});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  // Failures are journaled too, with their message: a re-run does not retry them.
  EXPECT_THAT(again.out, HasSubstr("task 14 failed: task 14 failed on purpose\n"));
  EXPECT_THAT(again.out, HasSubstr("errors = 8\nrun 0, from journal 50,"));
  EXPECT_EQ(Journal::read(journal_).records(), 50u);
}

TEST_P(FarmRanks, TheProgressCallbackEndsAtTheTotal) {
  auto r = run_probe(GetParam(), {"--tasks", "300", "--progress"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::regex line("progress ([0-9]+)/300\n");
  long last = -1;
  for (std::sregex_iterator it(r.out.begin(), r.out.end(), line), end; it != end; ++it) {
    long done = std::stol((*it)[1]);
    EXPECT_GE(done, last) << "progress goes forward";
    last = done;
  }
  EXPECT_EQ(last, 300);
}

// The callback is documented to come every 100 ms: also while no result arrives, so
// that a line's rate and a user's watchdog stay current during a long task.
TEST_P(FarmRanks, TheProgressCallbackComesWhileALongTaskRuns) {
  auto r = run_probe(GetParam(), {"--tasks", "1", "--slow", "0", "--progress"});  // task 0: 3 s
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::regex waiting("progress 0/1\n");
  auto reports = std::distance(std::sregex_iterator(r.out.begin(), r.out.end(), waiting), std::sregex_iterator());
  EXPECT_GE(reports, 10) << r.out;  // 30 at 100 ms each; 10 leaves room for a loaded machine
}

TEST_F(FarmTest, AProgressLineOnStderrWhenAsked) {
  auto r = sys::run({.argv = probe_argv(2, {"--tasks", "50"}), .env = {{"BEOWULF_PROGRESS", "1"}},
                     .timeout = std::chrono::seconds(120)});
  ASSERT_TRUE(r.ok());
  EXPECT_THAT(r->err, ::testing::MatchesRegex("(.|\n)*\rtaskfarm: 50/50 tasks \\(100%\\), [0-9]+ tasks/s\x1b\\[K\n"));
  auto quiet = run_probe(2, {"--tasks", "50"});  // stderr is a pipe here: no line
  EXPECT_EQ(quiet.err, "");
}

TEST_F(FarmTest, AJournalThatCannotBeOpenedIsAnErrorNamingTheFile) {
  std::string bad = (dir_ / "missing" / "run.journal").string();
  auto r = run_probe(4, {"--tasks", "10", "--journal", bad});
  EXPECT_EQ(r.exit_code, 1);  // the workers were released: no hang, no abort
  EXPECT_EQ(r.err, "taskfarm-probe: taskfarm journal: open " + bad + ": No such file or directory\n");
}

TEST_F(FarmTest, AMasterThatFailsAbortsTheJobInsteadOfHanging) {
  auto r = run_probe(4, {"--tasks", "100000", "--ms", "1", "--each", "--master-fails"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_FALSE(r.timed_out);
  EXPECT_THAT(r.err, HasSubstr("application called MPI_Abort"));
}

TEST_F(FarmTest, ATornLastRecordIsIgnoredAndItsTaskRunsAgain) {
  ASSERT_EQ(run_probe(2, {"--tasks", "50", "--journal", journal_}).exit_code, 0);
  fs::resize_file(journal_, fs::file_size(journal_) - 3);
  auto again = run_probe(2, {"--tasks", "50", "--journal", journal_});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_THAT(again.out, HasSubstr(expected_sum(50) + "errors = 0\nrun 1, from journal 49,"));
  Journal j = Journal::read(journal_);
  EXPECT_EQ(j.records(), 50u);
  EXPECT_EQ(j.dropped_bytes(), 0u);
}

INSTANTIATE_TEST_SUITE_P(Ranks, FarmRanks, ::testing::Values(1, 2, 4));

/// Starts the probe with a journal, waits until it holds `records`, kills rank `victim`
/// with SIGKILL, and waits for mpiexec to end. Returns the records that survived.
std::size_t kill_mid_run(const fs::path& dir, const std::string& journal, int victim,
                         std::size_t records) {
  auto started = sys::Process::start({.argv = probe_argv(4, {"--tasks", "300", "--ms", "10",
                                                             "--journal", journal, "--pids",
                                                             (dir / "pids").string()})});
  if (!started.ok()) {
    ADD_FAILURE() << started.error().message();
    return 0;
  }
  sys::Process& mpiexec = *started;
  mpiexec.close_stdin();
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (Journal::read(journal).records() < records && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  EXPECT_GE(Journal::read(journal).records(), records) << "the farm did not get going";

  std::ifstream pid_file(dir / "pids" / ("rank-" + std::to_string(victim)));
  pid_t pid = 0;
  pid_file >> pid;
  EXPECT_GT(pid, 0);
  if (pid > 0) ::kill(pid, SIGKILL);

  std::atomic<bool> ended = false;
  std::thread watchdog([&] {  // mpiexec must end the job, not hang: bound the wait
    for (int i = 0; i < 600 && !ended; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    if (!ended) mpiexec.kill_group(SIGKILL);
  });
  sys::ProcessResult result;
  mpiexec.wait(result);
  ended = true;
  watchdog.join();
  EXPECT_NE(result.exit_code, 0) << "the job went on without rank " << victim;
  EXPECT_FALSE(result.timed_out);
  return Journal::read(journal).records();
}

void expect_resume_completes(const std::string& journal, std::size_t survived) {
  ASSERT_LT(survived, 300u) << "the run finished before the kill: nothing was tested";
  auto again = run_probe(4, {"--tasks", "300", "--journal", journal, "--each"});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  auto seen = task_lines(again.out);
  EXPECT_EQ(seen.size(), 300u);
  for (auto& [task, times] : seen) EXPECT_EQ(times, 1) << "task " << task << " came twice";
  EXPECT_THAT(again.out, HasSubstr(expected_sum(300) + "errors = 0\nrun " +
                                   std::to_string(300 - survived) + ", from journal " +
                                   std::to_string(survived) + ","));
  Journal j = Journal::read(journal);
  EXPECT_EQ(j.records(), 300u) << "a task was journaled twice";
  for (std::uint64_t i = 0; i < 300; ++i) {
    auto task = to_bytes(i);
    EXPECT_NE(j.find(0, i, fnv1a(task.data(), task.size())), nullptr) << i;
  }
}

TEST_F(FarmTest, KillNineOfAWorkerLosesNoJournaledResult) {
  std::size_t survived = kill_mid_run(dir_, journal_, 2, 30);
  EXPECT_GE(survived, 30u);
  expect_resume_completes(journal_, survived);
}

TEST_F(FarmTest, KillNineOfTheMasterLosesNoJournaledResult) {
  std::size_t survived = kill_mid_run(dir_, journal_, 0, 30);
  EXPECT_GE(survived, 30u);
  expect_resume_completes(journal_, survived);
}

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// A bug fixed: a journal written by one function and result type was replayed for another.
TEST_F(FarmTest, AJournalOfOtherResultTypesIsRefusedNotReplayed) {
  ASSERT_EQ(run_probe(2, {"--tasks", "10", "--journal", journal_}).exit_code, 0);
  auto before = slurp(journal_);
  auto r = run_probe(2, {"--tasks", "10", "--journal", journal_, "--as-double"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err, "taskfarm-probe: taskfarm journal: " + journal_ +
                       " holds results of other task or result types: it was left as it is; "
                       "name another file, or remove it to start again\n");
  EXPECT_EQ(slurp(journal_), before);
}

TEST_F(FarmTest, AJournalWithAnotherKeyIsRefused) {
  ASSERT_EQ(run_probe(2, {"--tasks", "10", "--journal", journal_, "--key", "f(x) = x*x + 1"}).exit_code, 0);
  auto r = run_probe(2, {"--tasks", "10", "--journal", journal_, "--key", "f(x) = x*100"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err, "taskfarm-probe: taskfarm journal: " + journal_ +
                       " was written with key \"f(x) = x*x + 1\", not \"f(x) = x*100\": it was left as it "
                       "is; name another file, or remove it to start again\n");
}

// A bug fixed, as a user meets it: naming a results file as the journal truncated it.
TEST_F(FarmTest, NamingAResultsFileAsTheJournalLeavesItAlone) {
  std::string csv = (dir_ / "results.csv").string();
  std::ofstream(csv) << "task,result\n0,1\n";
  auto r = run_probe(2, {"--tasks", "10", "--journal", csv});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err, "taskfarm-probe: taskfarm journal: " + csv +
                       " is not a taskfarm journal (it does not start with one's header); it was left "
                       "as it is: name another file\n");
  EXPECT_EQ(slurp(csv), "task,result\n0,1\n");
}

// A bug fixed, as a user meets it: one bad record costs one task, not the rest.
TEST_F(FarmTest, ACorruptRecordInTheMiddleCostsOnlyItsTask) {
  ASSERT_EQ(run_probe(2, {"--tasks", "50", "--journal", journal_}).exit_code, 0);
  std::string data = slurp(journal_);
  data[data.size() / 2] ^= 0x5a;
  std::ofstream(journal_, std::ios::binary) << data;
  auto again = run_probe(2, {"--tasks", "50", "--journal", journal_});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(again.err, "taskfarm: warning: journal " + journal_ +
                           ": 1 corrupt record skipped; its task is run again\n");
  EXPECT_THAT(again.out, HasSubstr(expected_sum(50) + "errors = 0\nrun 1, from journal 49,"));
}

// A bug fixed: two farms alive at once deadlocked (-n 2 hung).
TEST_P(FarmRanks, TwoFarmsAliveAtOnceBothWork) {
  auto r = run_probe(GetParam(), {"--tasks", "100", "--two-farms"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_FALSE(r.timed_out);
  EXPECT_THAT(r.out, HasSubstr("sum2 = 5050\n" + expected_sum(100)));
}

// A bug fixed: a task that never returns hung the exit after its straggler copy won.
TEST_F(FarmTest, ALosingStragglerThatNeverReturnsDoesNotHoldUpTheExit) {
  auto start = std::chrono::steady_clock::now();
  auto r = run_probe(3, {"--tasks", "20", "--ms", "20", "--each", "--hang", "19", "--marker",
                         (dir_ / "marker").string()});
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(task_lines(r.out)["19"], 1);
  EXPECT_THAT(r.out, HasSubstr(expected_sum(20) + "errors = 0\nrun 20, from journal 0, reissued 1,"));
  EXPECT_LT(seconds, 20) << "the exit waited for the task that never returns";
}

class FarmTimeout : public FarmTest, public ::testing::WithParamInterface<int> {};

TEST_P(FarmTimeout, ATaskThatNeverReturnsBecomesAnErrorAfterItsTimeout) {
  auto r = run_probe(GetParam(), {"--tasks", "20", "--ms", "10", "--each", "--hang", "5", "--timeout", "1",
                                  "--threads", "2"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("task 5 failed: the task ran past its timeout of 1 s\n"));
  EXPECT_EQ(task_lines(r.out).size(), 20u);
  EXPECT_THAT(r.out, HasSubstr("errors = 1\nrun 20, from journal 0, reissued 0, duplicates 0\n"
                               "timed out 1, lost threads 1\n"));
}

INSTANTIATE_TEST_SUITE_P(Ranks, FarmTimeout, ::testing::Values(1, 2));

TEST_F(FarmTest, WhenEveryThreadIsLostTheRestFailsInsteadOfHanging) {
  auto r = run_probe(2, {"--tasks", "20", "--ms", "10", "--each", "--hang", "5", "--timeout", "1",
                         "--threads", "1"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("task 5 failed: the task ran past its timeout of 1 s\n"));
  EXPECT_THAT(r.out, HasSubstr(" failed: not run: every task thread was lost to a task that timed out\n"));
  auto seen = task_lines(r.out);
  EXPECT_EQ(seen.size(), 20u);
  for (auto& [task, times] : seen) EXPECT_EQ(times, 1) << "task " << task;
}

// A bug fixed: message sizes were int and unchecked. Results larger than a message
// are refused with an error; a batch whose results pass the limit comes back in parts.
TEST_F(FarmTest, ResultsLargerThanAMessageAreRefusedAndLargeBatchesSplit) {
  auto split = run_probe(2, {"--tasks", "50", "--result-bytes", "300", "--max-message", "1000"});
  ASSERT_EQ(split.exit_code, 0) << split.err;
  EXPECT_EQ(split.out, "good results = 50 of 50\n");
  auto refused = run_probe(2, {"--tasks", "2", "--result-bytes", "2000", "--max-message", "1000"});
  ASSERT_EQ(refused.exit_code, 0) << refused.err;
  EXPECT_EQ(refused.out,
            "task 0 failed: the result is 2008 bytes, over the 970 one message may carry\n"
            "task 1 failed: the result is 2009 bytes, over the 970 one message may carry\n"
            "good results = 0 of 2\n");
}

// The portable wire: ranks that encode the types differently stop with one message.
TEST_F(FarmTest, ARankWithAnotherLayoutStopsEveryRankWithOneMessage) {
  auto r = run_probe(3, {"--tasks", "10", "--fake-layout-rank", "2"});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_FALSE(r.timed_out);
  EXPECT_EQ(r.out, "");
  EXPECT_THAT(r.err, ::testing::ContainsRegex(
                         "^beowulf::TaskFarm: rank 2 encodes the task and result types differently from "
                         "rank 0 \\(layout [0-9a-f]{16}, little-endian; rank 2: layout [0-9a-f]{16}, "
                         "little-endian\\): every rank stops\\."));
}

// Dynamic work: the callback of run() adds tasks while results arrive.
TEST_P(FarmRanks, RunTakesTasksSubmittedByItsCallback) {
  auto r = run_probe(GetParam(), {"--tasks", "200", "--dynamic"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "delivered 200\n" + expected_sum(200));
}

TEST_P(FarmRanks, RunStopsWhenItsCallbackSaysSo) {
  auto r = run_probe(GetParam(), {"--tasks", "100000", "--ms", "1", "--stop-after", "10"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "delivered 10\n") << "no callback after stop, and no waiting for the 100000";
}

TEST_P(FarmRanks, ReduceFoldsEveryResult) {
  auto r = run_probe(GetParam(), {"--tasks", "1000", "--reduce"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("reduced = " + expected_sum(1000).substr(6)));
}

TEST_P(FarmRanks, TheContextReachesEveryWorkerAndSetupRunsFirst) {
  auto r = run_probe(GetParam(), {"--tasks", "100", "--context", "1000"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // sum of i*i + 1 + 1000 for i < 100
  EXPECT_EQ(r.out, "sum = " + std::to_string(328350 + 100 + 100000) + "\nerrors = 0\n");
}

}  // namespace
}  // namespace beowulf
