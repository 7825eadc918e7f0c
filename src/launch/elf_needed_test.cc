#include "launch/elf_needed.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "sys/process.h"

namespace beowulf::launch {
namespace {

// This test program is an ELF file like any user's: what it names must be what ldd lists.
TEST(ElfNeeded, NamesTheLibrariesLddListsForTheProgram) {
#ifdef BEOWULF_TESTS_EMULATED_BY
  GTEST_SKIP() << "under " BEOWULF_TESTS_EMULATED_BY ": this machine's ldd finds \"not a dynamic executable\" "
                  "in a program of another architecture";
#endif
  std::string self = std::filesystem::read_symlink("/proc/self/exe").string();
  auto named = elf_needed(self);
  ASSERT_FALSE(named.empty());
  EXPECT_NE(std::find(named.begin(), named.end(), "libc.so.6"), named.end());
  auto ldd = sys::run({.argv = {"ldd", self}});
  ASSERT_TRUE(ldd.ok());
  for (const auto& library : named) EXPECT_NE(ldd->out.find(library + " => "), std::string::npos) << library;
}

TEST(ElfNeeded, IsEmptyForAScriptOrAMissingFile) {
  std::string script = testing::TempDir() + "/hello.py";
  std::ofstream(script) << "print('hello')\n";
  EXPECT_TRUE(elf_needed(script).empty());
  EXPECT_TRUE(elf_needed("/nonexistent/program").empty());
}

}  // namespace
}  // namespace beowulf::launch
