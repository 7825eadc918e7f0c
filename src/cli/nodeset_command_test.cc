// `beowulf nodeset` as a user runs it: the built binary, its output and its errors.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "cli/run_beowulf.h"

namespace beowulf::cli {
namespace {

using ::testing::HasSubstr;
using testing::run_beowulf;

/// What `beowulf nodeset args...` prints on stdout, checking that it succeeded quietly.
std::string nodeset(std::vector<std::string> args, std::string input = {}) {
  args.insert(args.begin(), "nodeset");
  auto r = run_beowulf(args, std::move(input));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err, "");
  return r.out;
}

TEST(NodesetCommand, Folds) {
  EXPECT_EQ(nodeset({"-f", "worker001,worker002,worker003,worker005"}), "worker[001-003,005]\n");
  EXPECT_EQ(nodeset({"--fold", "198.18.0.11,198.18.0.12"}), "198.18.0.[11-12]\n");
}

TEST(NodesetCommand, ExpandsWithASeparator) {
  EXPECT_EQ(nodeset({"-e", "198.18.0.[11-13]"}), "198.18.0.11 198.18.0.12 198.18.0.13\n");
  EXPECT_EQ(nodeset({"--expand", "-S", ",", "worker[1-3]"}), "worker1,worker2,worker3\n");
  EXPECT_EQ(nodeset({"-e", "-S", "\\n", "worker[1-3]"}), "worker1\nworker2\nworker3\n");
  EXPECT_EQ(nodeset({"-e", "--separator=\\t", "worker[1-2]"}), "worker1\tworker2\n");
}

TEST(NodesetCommand, Counts) {
  EXPECT_EQ(nodeset({"-c", "worker[001-008]"}), "8\n");
  EXPECT_EQ(nodeset({"--count", "worker[1-3]", "-x", "worker[1-3]"}), "0\n");
}

TEST(NodesetCommand, SeveralSetsAreJoinedAndExcludesRemoved) {
  EXPECT_EQ(nodeset({"-f", "worker[1-2]", "worker[3-4]", "master"}), "master,worker[1-4]\n");
  EXPECT_EQ(nodeset({"-f", "worker[1-10]", "-x", "worker[4-6]", "--exclude", "worker9"}), "worker[1-3,7-8,10]\n");
  EXPECT_EQ(nodeset({"-c", "worker[001-008]", "-x", "worker[003-004]"}), "6\n");
  // -x takes one SET: what follows it is a set to join.
  EXPECT_EQ(nodeset({"-f", "-x", "worker2", "worker[1-3]"}), "worker[1,3]\n");
}

TEST(NodesetCommand, ReadsStandardInputWhenNoSetIsGiven) {
  EXPECT_EQ(nodeset({"-f"}, "worker1 worker2  # the first two\nworker3\n\n# done\n"), "worker[1-3]\n");
}

TEST(NodesetCommand, AnEmptySetPrintsAnEmptyLine) {
  EXPECT_EQ(nodeset({"-f", "a", "-x", "a"}), "\n");
  EXPECT_EQ(nodeset({"-e", "a", "-x", "a"}), "\n");
}

TEST(NodesetCommand, BadInputIsRefusedWithItsColumn) {
  auto r = run_beowulf({"nodeset", "-f", "worker[3-1]"});
  EXPECT_EQ(r.err, "beowulf: error: nodeset: 'worker[3-1]': range goes backwards at column 8\n");
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.exit_code, 2);

  r = run_beowulf({"nodeset", "-e", "worker[1-4]", "-x", "worker[1-"});
  EXPECT_EQ(r.err, "beowulf: error: nodeset: 'worker[1-': '[' without ']' at column 7\n");
  EXPECT_EQ(r.exit_code, 2);

  r = run_beowulf({"nodeset", "-c", "worker[1-2000000]"});
  EXPECT_EQ(r.err, "beowulf: error: nodeset: 'worker[1-2000000]': more than 1000000 names at column 8\n");
  EXPECT_EQ(r.exit_code, 2);
}

TEST(NodesetCommand, SaysWhatToDoWhenNoActionIsGiven) {
  auto r = run_beowulf({"nodeset", "worker[1-3]"});
  EXPECT_EQ(r.err,
            "beowulf: error: nodeset: say what to do: -e (expand), -f (fold) or -c (count)\n"
            "hint: run 'beowulf nodeset --help' for usage and an example\n");
  EXPECT_EQ(r.exit_code, 2);
}

TEST(NodesetCommand, OneActionAtATime) {
  auto r = run_beowulf({"nodeset", "-e", "-f", "worker[1-3]"});
  EXPECT_EQ(r.err,
            "beowulf: error: --expand excludes --fold\n"
            "hint: run 'beowulf nodeset --help' for usage and an example\n");
  EXPECT_EQ(r.exit_code, 2);
}

TEST(NodesetCommand, HelpShowsTheGrammarAndExamples) {
  auto r = run_beowulf({"nodeset", "--help"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_THAT(r.out, HasSubstr("worker[001-004,007]   198.18.0.[11-13]   rack[1-2]node[1-4]"));
  EXPECT_THAT(r.out, HasSubstr("Examples:\n"
                               "  beowulf nodeset -f worker001,worker002,worker003,worker005\n"
                               "      worker[001-003,005]\n"));
}

TEST(NodesetCommand, TheExamplesInTheHelpPrintWhatTheySay) {
  // Each example is a line `  beowulf nodeset ARGS...` followed by its output, indented.
  std::istringstream help(run_beowulf({"nodeset", "--help"}).out);
  int examples = 0;
  std::string line, output;
  while (std::getline(help, line)) {
    const std::string prefix = "  beowulf nodeset ";
    if (line.rfind(prefix, 0) != 0) continue;
    std::vector<std::string> args;
    std::istringstream words(line.substr(prefix.size()));
    for (std::string word; words >> word;) args.push_back(word);
    ASSERT_TRUE(std::getline(help, output));
    EXPECT_EQ(nodeset(args), output.substr(output.find_first_not_of(' ')) + "\n") << line;
    ++examples;
  }
  EXPECT_EQ(examples, 3);
}

}  // namespace
}  // namespace beowulf::cli
