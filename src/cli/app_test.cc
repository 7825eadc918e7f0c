// The CLI frame as a user meets it: the built `beowulf` binary, its messages and exit
// statuses (docs/architecture.md, "Errors"), --help and --version, and colour only on a terminal.

#include "cli/app.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "cli/command.h"
#include "cli/run_beowulf.h"

namespace beowulf::cli {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using testing::beowulf_binary;
using testing::run_beowulf;

TEST(App, VersionPrintsTheVersion) {
  auto r = run_beowulf({"--version"});
  EXPECT_EQ(r.out, "beowulf " BEOWULF_VERSION "\n");
  EXPECT_EQ(r.err, "");
  EXPECT_EQ(r.exit_code, 0);
}

/// What `beowulf COMMAND... --help` prints on standard output.
std::string help_of(std::vector<std::string> command) {
  command.push_back("--help");
  return run_beowulf(command).out;
}

// pdsh's and clush's spellings, the same in every command that works on members.
TEST(App, EveryCommandOnMembersSpellsFanoutAndTimeoutAlike) {
  for (const auto& command : std::vector<std::vector<std::string>>{
           {"exec"}, {"copy"}, {"status"}, {"add"}, {"time", "up"}, {"users", "add"}})
    EXPECT_THAT(help_of(command), HasSubstr("-f,--fanout")) << command[0];
  for (const auto& command : std::vector<std::vector<std::string>>{
           {"exec"}, {"copy"}, {"status"}, {"add"}, {"time", "up"}, {"time", "status"}, {"doctor"}})
    EXPECT_THAT(help_of(command), HasSubstr("-t,--timeout")) << command[0];
  // users acts on every member (the same accounts everywhere): how many at once and how
  // long each may take, but no choice of members.
  for (const auto& sub : {"add", "remove", "check"}) {
    std::string help = help_of({"users", sub});
    EXPECT_THAT(help, HasSubstr("-f,--fanout N")) << sub;
    EXPECT_THAT(help, HasSubstr("-t,--timeout SECONDS")) << sub;
    EXPECT_THAT(help, Not(HasSubstr("-w NODESET"))) << sub;
  }
}

// The whole block where a command chooses members: which (-w, -x), how many at once
// (-f/--fanout) and how long each may take (-t/--timeout).
TEST(App, EveryCommandOnMembersChoosesThemWithWAndXAndSpellsAllFourAlike) {
  for (const auto& command : std::vector<std::vector<std::string>>{
           {"exec"}, {"copy"}, {"status"}, {"doctor"}, {"time", "up"}, {"time", "status"}, {"run"}}) {
    std::string help = help_of(command);
    for (const char* option : {"-w NODESET", "-x NODESET", "-f,--fanout N", "-t,--timeout SECONDS"})
      EXPECT_THAT(help, HasSubstr(option)) << command.front() << " " << command.back();
  }
}

TEST(App, AMistypedCommandGetsTheLikelyOne) {
  auto r = run_beowulf({"nodest"});
  EXPECT_EQ(r.err,
            "beowulf: error: 'nodest' is not a beowulf command\n"
            "hint: did you mean 'beowulf nodeset'?\n");
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.exit_code, 2);
}

TEST(App, AnUnknownWordPointsToTheList) {
  auto r = run_beowulf({"frobnicate", "--now"});
  EXPECT_EQ(r.err,
            "beowulf: error: 'frobnicate' is not a beowulf command\n"
            "hint: run 'beowulf --help' for the list of commands\n");
  EXPECT_EQ(r.exit_code, 2);
}

TEST(App, AMistypedOptionIsNamedAsAnOption) {
  auto r = run_beowulf({"--verison"});
  EXPECT_EQ(r.err,
            "beowulf: error: '--verison' is not a beowulf option\n"
            "hint: did you mean 'beowulf --version'?\n");
  EXPECT_EQ(r.exit_code, 2);
}

TEST(App, NoCommandSaysSo) {
  auto r = run_beowulf({});
  EXPECT_EQ(r.err,
            "beowulf: error: no command given\n"
            "hint: run 'beowulf --help' for the list of commands\n");
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.exit_code, 2);
}

TEST(App, AnUnknownOptionOfACommandPointsToItsHelp) {
  auto r = run_beowulf({"nodeset", "--bogus"});
  EXPECT_EQ(r.err,
            "beowulf: error: The following argument was not expected: --bogus\n"
            "hint: run 'beowulf nodeset --help' for usage and an example\n");
  EXPECT_EQ(r.exit_code, 2);
}

TEST(App, HelpListsEveryCommandAndShowsExamples) {
  auto r = run_beowulf({"--help"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.err, "");
  EXPECT_THAT(r.out, HasSubstr("Usage: beowulf [OPTIONS] SUBCOMMAND"));
  for (const auto& command : commands()) {
    EXPECT_THAT(r.out, HasSubstr(std::string(command.name))) << command.name;
    EXPECT_THAT(r.out, HasSubstr(std::string(command.summary))) << command.name;
  }
  EXPECT_THAT(r.out, HasSubstr("Examples:\n  beowulf "));
  EXPECT_EQ(run_beowulf({"-h"}).out, r.out);
}

TEST(App, EveryCommandsHelpShowsAnExampleOfItself) {
  for (const auto& command : commands()) {
    const std::string name(command.name);
    auto r = run_beowulf({name, "--help"});
    EXPECT_EQ(r.exit_code, 0) << name;
    EXPECT_THAT(r.out, HasSubstr("Example")) << name;
    EXPECT_THAT(r.out, HasSubstr("\n  beowulf " + name + " ")) << name;
  }
}

TEST(App, NoColourWhenOutputIsNotATerminal) {
  for (auto args : {std::vector<std::string>{"nodest"}, {"--help"}, {"nodeset", "-f", "a[2-1]"}}) {
    auto r = run_beowulf(args);
    EXPECT_THAT(r.out, Not(HasSubstr("\x1b["))) << args[0];
    EXPECT_THAT(r.err, Not(HasSubstr("\x1b["))) << args[0];
  }
}

/// `beowulf nodest` on a pseudo-terminal (made by util-linux `script`): what it shows.
std::string on_a_terminal(std::map<std::string, std::string> env) {
  auto r = sys::run({.argv = {"script", "--quiet", "--return", "--command", beowulf_binary + " nodest", "/dev/null"},
                     .env = std::move(env),
                     .unset_env = {"NO_COLOR"},
                     .timeout = std::chrono::seconds(30)});
  EXPECT_TRUE(r.ok()) << r.error().message();
  return r.ok() ? r->out : "";
}

TEST(App, ColourOnATerminalUnlessNoColorIsSet) {
  EXPECT_THAT(on_a_terminal({}), HasSubstr("\x1b[1;31mbeowulf: error:\x1b[0m 'nodest' is not a beowulf command"));
  std::string plain = on_a_terminal({{"NO_COLOR", "1"}});
  EXPECT_THAT(plain, HasSubstr("beowulf: error: 'nodest' is not a beowulf command"));
  EXPECT_THAT(plain, Not(HasSubstr("\x1b[")));
}

}  // namespace
}  // namespace beowulf::cli
