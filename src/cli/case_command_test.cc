// Runs the built `beowulf case` as a user would and checks what it prints and draws.
#include <gtest/gtest.h>

#include "sys/temp_dir.h"

#include <fmt/format.h>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "core/case_layout.h"
#include "sys/process.h"

namespace beowulf {
namespace {

namespace fs = std::filesystem;

sys::ProcessResult beowulf(std::vector<std::string> args) {
  args.insert(args.begin(), BEOWULF_BINARY_DIR "/src/cli/beowulf");
  auto r = sys::run({.argv = args, .unset_env = {"NO_COLOR"}, .timeout = std::chrono::seconds(30)});
  EXPECT_TRUE(r.ok()) << r.error().message();
  return r.ok() ? *r : sys::ProcessResult{};
}

/// What xmllint makes of `expression` in the SVG file at `path`, without its newline.
std::string xpath(const fs::path& path, const std::string& expression) {
  auto r = sys::run({.argv = {"xmllint", "--xpath", expression, path.string()}});
  EXPECT_TRUE(r.ok() && r->exit_code == 0) << expression << ": " << (r.ok() ? r->err : r.error().message());
  std::string out = r.ok() ? r->out : "";
  if (out.ends_with('\n')) out.pop_back();
  return out;
}

class CaseCommand : public ::testing::Test {
 protected:
  sys::TempDir temp_;  // removed with everything in it after the test
  void SetUp() override {
    ASSERT_FALSE(temp_.path().empty());
    dir_ = temp_.path();
  }

  fs::path dir_;
};

TEST_F(CaseCommand, PrintsTheRecipesTwoByTwoParts) {
  auto r = beowulf({"case", "--nodes", "4", "--layout", "2x2"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.err, "");
  EXPECT_EQ(r.out,
            "beowulf case: 4 boards in a 2x2 layout\n"
            "2 boards side by side on each level, 2 levels\n"
            "\n"
            "part              count  rule\n"
            "base board            8  2 per board: one under it, one over it\n"
            "end connector         8  4 per level: 2 at each end\n"
            "middle connector      6  2 per seam between base boards side by side: 3 seams\n"
            "total                22\n");
}

TEST_F(CaseCommand, ChoosesTheSquarestLayout) {
  auto r = beowulf({"case", "-n", "5"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out.substr(0, r.out.find('\n', r.out.find('\n') + 1)),
            "beowulf case: 5 boards in a 3x2 layout\n"
            "3 boards side by side on each level, 2 levels (level 2 holds 2)");
}

TEST_F(CaseCommand, AVerticalStackHasNoSeam) {
  auto r = beowulf({"case", "--nodes", "3", "--layout", "1x3"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out,
            "beowulf case: 3 boards in a 1x3 layout\n"
            "1 board on each level, 3 levels\n"
            "\n"
            "part              count  rule\n"
            "base board            6  2 per board: one under it, one over it\n"
            "end connector        12  4 per level: 2 at each end\n"
            "middle connector      0  2 per seam between base boards side by side: none, one board on each level\n"
            "total                18\n");
}

TEST_F(CaseCommand, RefusesALayoutThatDoesNotHoldTheBoards) {
  auto r = beowulf({"case", "--nodes", "5", "--layout", "2x1"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err,
            "beowulf: error: a 2x1 layout holds 2 boards, not 5\n"
            "hint: layouts for 5 boards: 5x1, 3x2, 2x3, 1x5\n");
}

TEST_F(CaseCommand, RefusesALayoutWithALevelToSpare) {
  auto r = beowulf({"case", "--nodes", "5", "--layout", "2x4"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err,
            "beowulf: error: a 2x4 layout is too big for 5 boards: 2x3 holds them\n"
            "hint: layouts for 5 boards: 5x1, 3x2, 2x3, 1x5\n");
}

TEST_F(CaseCommand, RefusesBadInputBeforeWritingAnything) {
  fs::path svg = dir_ / "case.svg";
  auto r = beowulf({"case", "--nodes", "0", "--svg", svg.string()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "beowulf: error: a case holds 1 to 1000 boards, not 0\n");
  r = beowulf({"case", "--nodes", "4", "--layout", "2by2", "--svg", svg.string()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err,
            "beowulf: error: layout '2by2' is not COLSxROWS\n"
            "hint: e.g. 3x2: 3 boards side by side on each of 2 levels\n");
  r = beowulf({"case", "--layout", "2x2"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err,
            "beowulf: error: --nodes is required\n"
            "hint: run 'beowulf case --help' for usage and an example\n");
  EXPECT_FALSE(fs::exists(svg));
}

TEST_F(CaseCommand, SaysWhenThePictureCannotBeWritten) {
  fs::path svg = dir_ / "no-such-folder" / "case.svg";
  auto r = beowulf({"case", "--nodes", "4", "--svg", svg.string()});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err, fmt::format("beowulf: error: write {}: No such file or directory\n", svg.string()));
}

// The picture for every N up to 16 is well-formed XML and names each of its levels.
TEST_F(CaseCommand, WritesAnSvgThatNamesEveryLevel) {
  for (int n = 1; n <= 16; ++n) {
    fs::path svg = dir_ / fmt::format("case{}.svg", n);
    auto r = beowulf({"case", "--nodes", std::to_string(n), "--svg", svg.string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_TRUE(r.out.ends_with(fmt::format("\nwrote {}: the stack seen from the front\n", svg.string()))) << r.out;

    auto lint = sys::run({.argv = {"xmllint", "--noout", svg.string()}});
    ASSERT_TRUE(lint.ok()) << lint.error().message() << " (scripts/install-deps installs libxml2-utils)";
    EXPECT_EQ(lint->exit_code, 0) << n << " boards: " << lint->err;

    int levels = CasePlan::make(n)->layout().levels;
    EXPECT_EQ(xpath(svg, "count(//*[starts-with(@id, 'level-')])"), std::to_string(levels)) << n << " boards";
    for (int level = 1; level <= levels; ++level)
      EXPECT_EQ(xpath(svg, fmt::format("string(//*[@id='level-{}']/*[local-name()='text'][1])", level)),
                fmt::format("level {}", level))
          << n << " boards";
  }
}

TEST_F(CaseCommand, HelpShowsAnExample) {
  auto r = beowulf({"case", "--help"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("Example:\n  beowulf case --nodes 4 --layout 2x2 --svg case.svg\n"), std::string::npos);
  EXPECT_NE(r.out.find("--layout COLSxROWS"), std::string::npos);
}

}  // namespace
}  // namespace beowulf
