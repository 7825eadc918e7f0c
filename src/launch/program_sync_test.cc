#include "launch/program_sync.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace beowulf::launch {
namespace {

TEST(ProgramSync, ChecksumsThePathQuietly) {
  EXPECT_EQ(checksum_command("/home/linaro/my cpi"), "sha256sum -- '/home/linaro/my cpi' 2>/dev/null; true");
}

TEST(ProgramSync, ReadsTheChecksumSha256sumPrinted) {
  std::string hash(64, 'a');
  EXPECT_EQ(parse_checksum(hash + "  /usr/bin/beowulf-cpi\n"), hash);
  EXPECT_EQ(parse_checksum(""), std::nullopt);
  EXPECT_EQ(parse_checksum("sha256sum: /x: No such file or directory\n"), std::nullopt);
}

TEST(ProgramSync, InstallsBesideThenRenamesKeepingTheMode) {
  EXPECT_EQ(install_command("/home/linaro/bin/cpi", 0100755),
            "mkdir -p -- /home/linaro/bin && cat > /home/linaro/bin/cpi.beowulf-new && "
            "chmod 755 /home/linaro/bin/cpi.beowulf-new && mv -f -- /home/linaro/bin/cpi.beowulf-new "
            "/home/linaro/bin/cpi");
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
