#include "sys/temp_dir.h"

#include <gtest/gtest.h>

#include <sys/stat.h>

#include <filesystem>
#include <fstream>

namespace beowulf::sys {
namespace {

TEST(TempDir, IsAPrivateFolderRemovedWithItsFiles) {
  std::string path;
  {
    TempDir temp("beowulf-temp-dir-test");
    path = temp.path();
    ASSERT_FALSE(path.empty());
    struct stat st {};
    ASSERT_EQ(stat(path.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0700u);
    std::filesystem::create_directories(path + "/a/b");
    std::ofstream(path + "/a/b/file") << "x";
  }
  EXPECT_FALSE(std::filesystem::exists(path));
}

TEST(TempDir, TwoAreNeverTheSame) { EXPECT_NE(TempDir().path(), TempDir().path()); }

}  // namespace
}  // namespace beowulf::sys
