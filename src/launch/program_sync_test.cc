#include "launch/program_sync.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace beowulf::launch {
namespace {

TEST(ProgramSync, OneCommandChecksumsTheFilesAndTestsWhatTheLaunchNeeds) {
  SyncRequest request{{"/home/linaro/my cpi", "/home/linaro/data.txt"},
                      {{"/usr/bin/orted", "Open MPI is not installed", "openmpi-bin"}}};
  EXPECT_EQ(check_command(request),
            "for p in /usr/bin/orted; do [ -e \"$p\" ] || echo \"missing $p\"; done; "
            "exec sha256sum -- '/home/linaro/my cpi' /home/linaro/data.txt 2>/dev/null");
  EXPECT_EQ(check_command({}), "true");
  EXPECT_EQ(check_command({.workdir = "/home/linaro/work"}),
            "[ -d /home/linaro/work ] || mkdir -p -- /home/linaro/work 2>/dev/null; true");
}

// sha256sum exits 1 when a file is missing on the node: that node answered all the same.
TEST(ProgramSync, ANodeAnsweredWhenTheCheckExitedZeroOrOne) {
  using remote::EventKind;
  EXPECT_TRUE(answered({.end = EventKind::exited, .exit_code = 0}));
  EXPECT_TRUE(answered({.end = EventKind::exited, .exit_code = 1}));
  EXPECT_FALSE(answered({.end = EventKind::exited, .exit_code = 255}));
  EXPECT_FALSE(answered({.end = EventKind::timed_out}));
  EXPECT_FALSE(answered({.end = EventKind::could_not_start}));
}

TEST(ProgramSync, ReadsTheChecksumsAndWhatIsMissing) {
  std::string a(64, 'a'), b(64, 'b');
  auto answer = parse_answer(a + "  /usr/bin/beowulf-cpi\n" + b + " */home/linaro/my data\nmissing /usr/bin/orted\n" +
                             "\\" + a + "  /home/linaro/odd\\nname\n");
  EXPECT_EQ(answer.sums, (std::map<std::string, std::string>{{"/usr/bin/beowulf-cpi", a}, {"/home/linaro/my data", b}}));
  EXPECT_EQ(answer.missing, std::vector<std::string>{"/usr/bin/orted"});
  EXPECT_TRUE(parse_answer("sha256sum: /x: No such file or directory\n").sums.empty());
}

TEST(ProgramSync, SendsOnlyWhatIsMissingOrDifferent) {
  std::string a(64, 'a'), b(64, 'b');
  std::map<std::string, std::string> mine = {{"/h/cpi", a}, {"/h/data", a}, {"/h/new", b}};
  std::map<std::string, std::string> theirs = {{"/h/cpi", a}, {"/h/data", b}};
  EXPECT_EQ(differing_files({"/h/cpi", "/h/data", "/h/new"}, mine, theirs),
            (std::vector<std::string>{"/h/data", "/h/new"}));
  EXPECT_TRUE(differing_files({"/h/cpi"}, mine, theirs).empty());
}

TEST(ProgramSync, UnpacksAtTheRootKeepingModes) {
  EXPECT_EQ(unpack_command(), "tar -C / -xpf - --no-same-owner");
}

TEST(ProgramSync, FindsAProgramOnPath) {
  auto sh = resolve_program("sh");
  ASSERT_TRUE(sh.ok());
  EXPECT_EQ(sh->front(), '/');
}

TEST(ProgramSync, RefusesAProgramThatIsNotThere) {
  auto r = resolve_program("no-such-program-here");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::bad_input);
  EXPECT_EQ(r.error().message(), "no-such-program-here: no such program on PATH");
  std::string data = ::testing::TempDir() + "beowulf-not-a-program.txt";
  { std::ofstream(data) << "data\n"; }
  std::filesystem::permissions(data, std::filesystem::perms(0644));
  auto f = resolve_program(data);
  std::filesystem::remove(data);
  ASSERT_FALSE(f.ok());
  EXPECT_EQ(f.error().message(), data + ": no such executable file");
}

TEST(ProgramSync, RunsTheSameProgramByItsAbsolutePath) {
  auto r = resolve_program("/usr/bin/../bin/sh");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, "/usr/bin/sh");
}

}  // namespace
}  // namespace beowulf::launch
