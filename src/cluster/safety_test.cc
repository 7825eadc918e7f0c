// docs/architecture.md, "How work reaches many nodes": no code path may turn ssh's host
// key checking off. Reads every source, script and benchmark; comments (which may name
// the rule) and test assertions that the option is absent are not code paths that pass it.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <string>

namespace beowulf::cluster {
namespace {

namespace fs = std::filesystem;

/// The line without its comment (`// ...` in C++, `# ...` at a word start in scripts).
std::string code_of(std::string line) {
  if (auto at = line.find("//"); at != std::string::npos) line.erase(at);
  static const std::regex shell_comment("(^|\\s)#.*$");
  return std::regex_replace(line, shell_comment, "");
}

bool asserts_absence(const std::string& line) {
  return line.find("find(") != std::string::npos || line.find("EXPECT") != std::string::npos ||
         line.find("HasSubstr") != std::string::npos;
}

TEST(Safety, NoCodePathTurnsHostKeyCheckingOff) {
  // Built from parts so that this file does not match itself.
  const std::regex off(std::string("StrictHostKey") + "Checking[\"'\\s]*[= ][\"'\\s]*(no|off)\\b", std::regex::icase);
  std::size_t scanned = 0;
  for (const char* dir : {"src", "scripts", "bench", "examples", "cmake"}) {
    fs::path root = fs::path(BEOWULF_SOURCE_DIR) / dir;
    if (!fs::exists(root)) continue;
    for (const auto& entry : fs::recursive_directory_iterator(root)) {
      if (!entry.is_regular_file()) continue;
      ++scanned;
      std::ifstream in(entry.path());
      int number = 0;
      for (std::string line; std::getline(in, line);) {
        ++number;
        std::string code = code_of(line);
        if (std::regex_search(code, off) && !asserts_absence(code)) ADD_FAILURE() << entry.path() << ":" << number << ": " << line;
      }
    }
  }
  EXPECT_GT(scanned, 50u);
}

TEST(Safety, TheScanFindsTheOptionInCode) {
  const std::regex off(std::string("StrictHostKey") + "Checking[\"'\\s]*[= ][\"'\\s]*(no|off)\\b", std::regex::icase);
  EXPECT_TRUE(std::regex_search(code_of(std::string("ssh -o StrictHostKey") + "Checking=no host"), off));
  EXPECT_TRUE(std::regex_search(code_of(std::string("{\"-o\", \"StrictHostKey") + "Checking no\"}"), off));
  EXPECT_FALSE(std::regex_search(code_of(std::string("x; // never StrictHostKey") + "Checking=no"), off));
}

}  // namespace
}  // namespace beowulf::cluster
