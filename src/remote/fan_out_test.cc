#include "remote/fan_out.h"
#include "sys/temp_dir.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <signal.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

namespace beowulf::remote {
namespace {

using namespace std::chrono_literals;
using ::testing::ElementsAre;
using ::testing::UnorderedElementsAre;

Job shell(std::string node, std::string script) { return Job{{.name = std::move(node)}, {.argv = {"sh", "-c", script}}}; }


/// Per job, the kinds of its events in the order they came, and its lines.
struct Recorder {
  std::map<std::string, std::vector<EventKind>> kinds;
  std::map<std::string, std::vector<std::string>> lines;
  void operator()(const Event& e) {
    kinds[std::string(e.node)].push_back(e.kind);
    if (e.kind == EventKind::out_line) lines[std::string(e.node)].push_back(std::string(e.text));
    if (e.kind == EventKind::err_line) lines[std::string(e.node)].push_back("err: " + std::string(e.text));
  }
};

/// True once `pid` has ended (a zombie waiting for its new parent to reap it has ended).
bool process_gone(pid_t pid) {
  auto deadline = std::chrono::steady_clock::now() + 10s;
  while (std::chrono::steady_clock::now() < deadline) {
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string pid_field, name, state;
    if (!(stat >> pid_field >> name >> state) || state == "Z") return true;
    usleep(10000);
  }
  return false;
}

TEST(FanOut, CollectsEachNodesOutputAndStatus) {
  auto runs = FanOut().collect({shell("worker001", "echo one; echo oops >&2; exit 3"),
                                shell("worker002", "echo two")});
  ASSERT_EQ(runs.size(), 2u);
  EXPECT_EQ(runs[0].node, "worker001");
  EXPECT_EQ(runs[0].out, "one\n");
  EXPECT_EQ(runs[0].err, "oops\n");
  EXPECT_EQ(runs[0].outcome.end, EventKind::exited);
  EXPECT_EQ(runs[0].outcome.exit_code, 3);
  EXPECT_FALSE(runs[0].outcome.ok());
  EXPECT_EQ(runs[1].out, "two\n");
  EXPECT_TRUE(runs[1].outcome.ok());
}

TEST(FanOut, NoJobsIsNoWork) {
  int events = 0;
  EXPECT_TRUE(FanOut().run({}, [&](const Event&) { ++events; }).empty());
  EXPECT_EQ(events, 0);
}

TEST(FanOut, EventsOfAJobStartWithStartedAndEndWithOneTerminalEvent) {
  Recorder record;
  FanOut().run({shell("a", "echo x; echo y >&2"), shell("b", "exit 1"), Job{{.name = "c"}, {.argv = {"beowulf-no-such"}}}},
               std::ref(record));
  EXPECT_THAT(record.kinds["a"].front(), EventKind::started);
  EXPECT_THAT(record.kinds["a"].back(), EventKind::exited);
  EXPECT_EQ(record.kinds["a"].size(), 4u);
  EXPECT_THAT(record.lines["a"], UnorderedElementsAre("x", "err: y"));
  EXPECT_THAT(record.kinds["b"], ElementsAre(EventKind::started, EventKind::exited));
  EXPECT_THAT(record.kinds["c"], ElementsAre(EventKind::could_not_start));
}

TEST(FanOut, AJobThatCannotStartIsReportedAndTheOthersRun) {
  std::string reason;
  auto outcomes = FanOut().run({Job{{.name = "ghost"}, {.argv = {"beowulf-no-such-program"}}}, shell("real", "true")},
                               [&](const Event& e) {
                                 if (e.kind == EventKind::could_not_start) reason = e.text;
                               });
  EXPECT_EQ(reason, "beowulf-no-such-program: command not found");
  EXPECT_EQ(outcomes[0].end, EventKind::could_not_start);
  EXPECT_EQ(outcomes[0].reason, "beowulf-no-such-program: command not found");
  EXPECT_TRUE(outcomes[1].ok());
}

TEST(FanOut, SplitsLinesAcrossReadsAndKeepsALastLineWithoutNewline) {
  // The pause makes "b" and "c" arrive in two reads; the lines are the same either way.
  Recorder record;
  FanOut().run({shell("n", "printf 'a\\nb'; sleep 0.1; printf 'c\\nd'")}, std::ref(record));
  EXPECT_THAT(record.lines["n"], ElementsAre("a", "bc", "d"));
}

TEST(FanOut, DeliversAnOverlongLineInPieces) {
  Recorder record;
  FanOut().run({shell("n", "head -c 70000 /dev/zero | tr '\\0' x")}, std::ref(record));
  ASSERT_EQ(record.lines["n"].size(), 2u);
  EXPECT_EQ(record.lines["n"][0], std::string(FanOut::kMaxLine, 'x'));
  EXPECT_EQ(record.lines["n"][1], std::string(70000 - FanOut::kMaxLine, 'x'));
}

TEST(FanOut, NeverRunsMoreThanFanoutJobsAtOnce) {
  // Each job logs its start, says "ready", then waits for the release file, logs its end.
  // The test releases them once `fanout` jobs are ready: so exactly that many overlap,
  // and the log proves no more ever did.
  sys::TempDir dir("fan_out_test");
  const std::size_t fanout = 3;
  std::string log = dir.path() + "/log", release = dir.path() + "/release";
  std::vector<Job> jobs;
  for (int i = 0; i < 10; ++i)
    jobs.push_back(shell("n" + std::to_string(i),
                         "echo start >> " + log + "; echo ready; while [ ! -e " + release +
                             " ]; do sleep 0.01; done; echo end >> " + log));
  std::size_t ready = 0;
  auto outcomes = FanOut({.fanout = fanout}).run(jobs, [&](const Event& e) {
    if (e.kind == EventKind::out_line && ++ready == fanout) std::ofstream(release).put('\n');
  });
  for (const Outcome& o : outcomes) EXPECT_TRUE(o.ok());

  std::ifstream in(log);
  int now = 0, most = 0, lines = 0;
  for (std::string line; std::getline(in, line); ++lines) {
    now += line == "start" ? 1 : -1;
    most = std::max(most, now);
  }
  EXPECT_EQ(lines, 20);
  EXPECT_EQ(most, static_cast<int>(fanout));
}

TEST(FanOut, AHungNodeTimesOutWhileTheOthersFinish) {
  sys::FakeClock clock;
  std::vector<Job> jobs = {shell("worker001", "echo hi"), shell("worker002", "sleep 1000"),
                           shell("worker003", "echo hi")};
  int finished = 0;
  auto outcomes = FanOut({.timeout = 10s, .clock = &clock}).run(jobs, [&](const Event& e) {
    // Time passes only once both healthy nodes are done: they cannot have timed out.
    if (e.kind == EventKind::exited && ++finished == 2) clock.advance(11s);
  });
  EXPECT_TRUE(outcomes[0].ok());
  EXPECT_EQ(outcomes[1].end, EventKind::timed_out);
  EXPECT_EQ(outcomes[1].elapsed, 11s);
  EXPECT_TRUE(outcomes[2].ok());
}

TEST(FanOut, ATimeoutKillsTheNodesWholeProcessGroup) {
  // The grandchild keeps the pipes open: only killing the group ends the job.
  pid_t grandchild = 0;
  auto start = std::chrono::steady_clock::now();
  auto outcomes = FanOut({.timeout = 200ms}).run({shell("n", "sleep 1000 & echo $!; wait")}, [&](const Event& e) {
    if (e.kind == EventKind::out_line) grandchild = std::stoi(std::string(e.text));
  });
  EXPECT_EQ(outcomes[0].end, EventKind::timed_out);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 10s);
  ASSERT_GT(grandchild, 0);
  EXPECT_TRUE(process_gone(grandchild));
}

TEST(FanOut, AJobsOwnTimeoutOverridesTheDefault) {
  Job slow = shell("slow", "sleep 1000");
  slow.spec.timeout = 100ms;
  auto outcomes = FanOut({.timeout = 0ms}).run({slow}, [](const Event&) {});
  EXPECT_EQ(outcomes[0].end, EventKind::timed_out);
}

TEST(FanOut, AJobEndsWhenItsProcessExitsEvenIfItLeftABackgroundProcess) {
  pid_t background = 0;
  auto outcomes = FanOut().run({shell("n", "sleep 1000 & echo $!; echo done")}, [&](const Event& e) {
    if (e.kind == EventKind::out_line && e.text != "done") background = std::stoi(std::string(e.text));
  });
  EXPECT_TRUE(outcomes[0].ok());
  ASSERT_GT(background, 0);
  kill(background, SIGKILL);  // ours to clean up: it outlived its job on purpose
}

TEST(FanOut, FeedsEachNodeItsOwnInput) {
  std::vector<Job> jobs;
  for (int i = 0; i < 5; ++i) {
    jobs.push_back(Job{{.name = "n" + std::to_string(i)}, {.argv = {"cat"}, .input = "secret-" + std::to_string(i) + "\n"}});
  }
  jobs.push_back(Job{{.name = "big"}, {.argv = {"wc", "-c"}, .input = std::string(300000, 'x')}});
  auto runs = FanOut().collect(jobs);
  for (int i = 0; i < 5; ++i) EXPECT_EQ(runs[i].out, "secret-" + std::to_string(i) + "\n");
  EXPECT_EQ(runs[5].out, "300000\n");
}

TEST(FanOut, CancelKillsEveryRunningNodeAndReportsTheRestCancelled) {
  int cancel[2];
  ASSERT_EQ(pipe(cancel), 0);
  std::vector<pid_t> grandchildren;
  std::map<std::string, std::vector<EventKind>> kinds;
  auto outcomes = FanOut({.fanout = 2, .cancel_fd = cancel[0]})
                      .run({shell("a", "sleep 1000 & echo $!; wait"), shell("b", "sleep 1000 & echo $!; wait"),
                            shell("c", "echo never")},
                           [&](const Event& e) {
                             kinds[std::string(e.node)].push_back(e.kind);
                             if (e.kind != EventKind::out_line) return;
                             grandchildren.push_back(std::stoi(std::string(e.text)));
                             if (grandchildren.size() == 2) {
                               ASSERT_EQ(write(cancel[1], "x", 1), 1);  // what a Ctrl-C handler does
                             }
                           });
  close(cancel[0]);
  close(cancel[1]);
  EXPECT_EQ(outcomes[0].end, EventKind::cancelled);
  EXPECT_EQ(outcomes[1].end, EventKind::cancelled);
  EXPECT_EQ(outcomes[2].end, EventKind::cancelled);
  EXPECT_EQ(kinds["a"].back(), EventKind::cancelled);
  EXPECT_THAT(kinds["c"], ElementsAre(EventKind::cancelled));
  for (pid_t pid : grandchildren) EXPECT_TRUE(process_gone(pid)) << pid;
}

}  // namespace
}  // namespace beowulf::remote
