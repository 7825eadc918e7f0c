#include "sys/atomic_file.h"

#include <sys/stat.h>

#include <gtest/gtest.h>

#include "sys/temp_dir.h"

#include <filesystem>

namespace beowulf::sys {
namespace {

namespace fs = std::filesystem;

/// A fresh folder under /tmp, removed with everything in it at the end of the test.
class TempFolder : public ::testing::Test {
 protected:
  sys::TempDir temp_;  // removed with everything in it after the test
  void SetUp() override {
    ASSERT_FALSE(temp_.path().empty());
    dir_ = temp_.path();
  }

  std::string path(std::string_view name) const { return dir_ + "/" + std::string(name); }
  std::vector<std::string> names() const {
    std::vector<std::string> result;
    for (const auto& entry : fs::directory_iterator(dir_)) result.push_back(entry.path().filename().string());
    std::sort(result.begin(), result.end());
    return result;
  }
  static mode_t mode_of(const std::string& path) {
    struct stat info;
    EXPECT_EQ(::lstat(path.c_str(), &info), 0);
    return info.st_mode & 07777;
  }

  std::string dir_;
};

using AtomicFile = TempFolder;

TEST_F(AtomicFile, WritesAndReadsBack) {
  ASSERT_TRUE(write_file_atomically(path("cluster.toml"), "schema = 1\n"));
  EXPECT_EQ(read_file(path("cluster.toml")).value(), "schema = 1\n");
  EXPECT_EQ(names(), std::vector<std::string>{"cluster.toml"});  // no temporary file left
}

TEST_F(AtomicFile, ReplacesTheOldContentWhole) {
  std::string big(200000, 'x');
  ASSERT_TRUE(write_file_atomically(path("f"), big));
  ASSERT_TRUE(write_file_atomically(path("f"), "short"));
  EXPECT_EQ(read_file(path("f")).value(), "short");
  ASSERT_TRUE(write_file_atomically(path("f"), big));
  EXPECT_EQ(read_file(path("f")).value(), big);
  ASSERT_TRUE(write_file_atomically(path("f"), ""));
  EXPECT_EQ(read_file(path("f")).value(), "");
  EXPECT_EQ(names(), std::vector<std::string>{"f"});
}

TEST_F(AtomicFile, GivesExactlyTheModeWhateverTheUmask) {
  mode_t old = ::umask(077);
  ASSERT_TRUE(write_file_atomically(path("hosts"), "x", 0644));
  ASSERT_TRUE(write_file_atomically(path("authorized_keys"), "x", 0600));
  ::umask(old);
  EXPECT_EQ(mode_of(path("hosts")), 0644u);
  EXPECT_EQ(mode_of(path("authorized_keys")), 0600u);
  ASSERT_TRUE(write_file_atomically(path("hosts"), "y", 0640));
  EXPECT_EQ(mode_of(path("hosts")), 0640u);
}

TEST_F(AtomicFile, ReplacesASymbolicLinkInsteadOfFollowingIt) {
  ASSERT_TRUE(write_file_atomically(path("target"), "old"));
  fs::create_symlink(path("target"), path("link"));
  ASSERT_TRUE(write_file_atomically(path("link"), "new"));
  EXPECT_FALSE(fs::is_symlink(path("link")));
  EXPECT_EQ(read_file(path("target")).value(), "old");
  EXPECT_EQ(read_file(path("link")).value(), "new");
}

TEST_F(AtomicFile, FailsInAMissingFolderAndLeavesNothing) {
  auto written = write_file_atomically(path("missing/cluster.toml"), "x");
  ASSERT_FALSE(written);
  EXPECT_EQ(written.error().what, "write " + path("missing/cluster.toml") + ": No such file or directory");
  EXPECT_EQ(written.error().kind, ErrorKind::failed);
  EXPECT_TRUE(names().empty());
}

TEST_F(AtomicFile, FailsOverAFolderAndLeavesNoTemporaryFile) {
  fs::create_directory(path("dir"));
  auto written = write_file_atomically(path("dir"), "x");
  ASSERT_FALSE(written);
  EXPECT_EQ(written.error().what, "write " + path("dir") + ": Is a directory");
  EXPECT_EQ(names(), std::vector<std::string>{"dir"});
}

TEST_F(AtomicFile, ReadingAMissingFileSaysSo) {
  auto text = read_file(path("nope"));
  ASSERT_FALSE(text);
  EXPECT_EQ(text.error().what, "read " + path("nope") + ": No such file or directory");
  EXPECT_FALSE(file_exists(path("nope")));
}

TEST_F(AtomicFile, MakesNestedFoldersWithTheirMode) {
  mode_t old = ::umask(077);
  ASSERT_TRUE(make_directory(path("a/b/.beowulf"), 0755));
  ::umask(old);
  EXPECT_EQ(mode_of(path("a")), 0755u);
  EXPECT_EQ(mode_of(path("a/b/.beowulf")), 0755u);
  ASSERT_TRUE(make_directory(path("a/b/.beowulf"), 0700));  // exists: left as it is
  EXPECT_EQ(mode_of(path("a/b/.beowulf")), 0755u);
  ASSERT_TRUE(write_file_atomically(path("file"), "x"));
  auto made = make_directory(path("file"));
  ASSERT_FALSE(made);
  EXPECT_EQ(made.error().what, "make folder " + path("file") + ": Not a directory");
}

}  // namespace
}  // namespace beowulf::sys
