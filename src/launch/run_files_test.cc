#include "launch/run_files.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace beowulf::launch {
namespace {

namespace fs = std::filesystem;
using ::testing::ElementsAre;

/// A home with a project folder (the working directory) holding a script and data.
class RunFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    home_ = fs::path(::testing::TempDir()) / ("beowulf-run-files-" + std::to_string(::getpid()));
    cwd_ = home_ / "project";
    fs::create_directories(cwd_ / "params" / "deep");
    for (auto p : {cwd_ / "sum.py", cwd_ / "data.txt", home_ / "shared.txt", cwd_ / "params" / "a.toml",
                   cwd_ / "params" / "deep" / "b.toml"})
      std::ofstream(p) << "x\n";
    fs::create_symlink("/etc/hosts", cwd_ / "hosts-link");
  }
  void TearDown() override { fs::remove_all(home_); }
  std::string at(const fs::path& p) const { return p.string(); }
  fs::path home_, cwd_;
};

TEST_F(RunFiles, ArgumentsNamingTheUsersFilesAreSent) {
  auto files = files_named_in({"sum.py", "--input", "data.txt", "../shared.txt", at(cwd_ / "sum.py"), "100"},
                              at(cwd_), at(home_));
  EXPECT_THAT(files, ElementsAre(at(cwd_ / "sum.py"), at(cwd_ / "data.txt"), at(home_ / "shared.txt")));
}

TEST_F(RunFiles, FilesOutsideTheUsersOwnAreNotSent) {
  EXPECT_THAT(files_named_in({"/etc/hosts", "../../../../../../etc/hosts", "hosts-link", "params", "missing.txt",
                              "--data=data.txt"},
                             at(cwd_), at(home_)),
              ElementsAre());
}

TEST_F(RunFiles, SyncBringsAFolderWhole) {
  auto files = files_to_sync({"params", "data.txt", at(cwd_ / "data.txt")}, at(cwd_));
  ASSERT_TRUE(files.ok()) << files.error().message();
  EXPECT_THAT(*files, ElementsAre(at(cwd_ / "data.txt"), at(cwd_ / "params" / "a.toml"),
                                  at(cwd_ / "params" / "deep" / "b.toml")));
  auto etc = files_to_sync({"/etc/hostname"}, at(cwd_));
  ASSERT_TRUE(etc.ok());
  EXPECT_THAT(*etc, ElementsAre("/etc/hostname"));
}

TEST_F(RunFiles, SyncRefusesAPathThatIsNotThere) {
  auto r = files_to_sync({"params", "inputs/"}, at(cwd_));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::bad_input);
  EXPECT_EQ(r.error().message(), "--sync inputs/: no such file or folder");
}

TEST_F(RunFiles, SyncRefusesAFileThatCannotBeRead) {
  if (::geteuid() == 0) GTEST_SKIP() << "root reads every file";
  fs::permissions(cwd_ / "data.txt", fs::perms::none);
  auto r = files_to_sync({"data.txt"}, at(cwd_));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message(), "--sync data.txt: cannot be read");
}

TEST(RunFilesNames, ShowsPathsRelativeToTheWorkingDirectory) {
  EXPECT_EQ(shown_path("/home/linaro/project/sum.py", "/home/linaro/project"), "sum.py");
  EXPECT_EQ(shown_path("/home/linaro/project/params/a.toml", "/home/linaro/project/"), "params/a.toml");
  EXPECT_EQ(shown_path("/home/linaro/shared.txt", "/home/linaro/project"), "/home/linaro/shared.txt");
}

TEST(RunFilesNames, TheSystemsProgramsAreNotSent) {
  EXPECT_TRUE(is_system_path("/usr/bin/python3"));
  EXPECT_TRUE(is_system_path("/bin/sh"));
  EXPECT_FALSE(is_system_path("/usr/local/bin/beowulf-cpi"));
  EXPECT_FALSE(is_system_path("/home/linaro/ring_c"));
  EXPECT_FALSE(is_system_path("/usrlocal/x"));
}

}  // namespace
}  // namespace beowulf::launch
