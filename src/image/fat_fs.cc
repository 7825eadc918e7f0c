#include "image/fat_fs.h"

#include <fcntl.h>
#include <unistd.h>

#include <fmt/core.h>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <sstream>

#include "sys/process.h"
#include "sys/temp_dir.h"

namespace beowulf::image {

bool is_fat_filesystem(const std::string& path, uint64_t offset) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  unsigned char sector[512] = {};
  bool ok = ::pread(fd, sector, sizeof sector, static_cast<off_t>(offset)) == static_cast<ssize_t>(sizeof sector);
  ::close(fd);
  if (!ok || sector[510] != 0x55 || sector[511] != 0xAA) return false;
  // The type string of FAT12/16 (at 54) or FAT32 (at 82) boot sectors.
  return std::memcmp(sector + 54, "FAT", 3) == 0 || std::memcmp(sector + 82, "FAT32", 5) == 0;
}

std::string FatFs::image() const { return fmt::format("{}@@{}", path_, offset_); }

Result<std::string> FatFs::mtool(std::vector<std::string> argv, const std::string& step) {
  // MTOOLS_SKIP_CHECK: a partition need not have a floppy's geometry.
  auto r = sys::run({.argv = argv, .env = {{"MTOOLS_SKIP_CHECK", "1"}, {"LC_ALL", "C"}}});
  if (!r) return Error{fmt::format("{} (FAT partition at byte {}): {}: {}", path_, offset_, step, r.error().message()), {},
                       "install mtools: apt-get install mtools"};
  if (!r->ok()) {
    std::string said = r->err.empty() ? r->out : r->err;
    while (!said.empty() && said.back() == '\n') said.pop_back();
    return Error{fmt::format("{} (FAT partition at byte {}): {}: {}", path_, offset_, step, said)};
  }
  return r->out;
}

Result<std::vector<std::string>> FatFs::list() {
  // -b: bare names, "::/NAME" per line, long names when there are.
  auto out = mtool({"mdir", "-b", "-i", image(), "::"}, "list files");
  if (!out) return out.error();
  std::vector<std::string> names;
  std::istringstream in(*out);
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("::/", 0) == 0) names.push_back(line.substr(3));
  }
  return names;
}

bool FatFs::exists(const std::string& name) {
  auto names = list();
  if (!names) return false;
  // FAT names are case-insensitive.
  auto lower = [](std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
  };
  return std::any_of(names->begin(), names->end(), [&](const std::string& n) { return lower(n) == lower(name); });
}

Result<std::string> FatFs::read_file(const std::string& name) {
  return mtool({"mtype", "-i", image(), "::" + name}, "read " + name);
}

Status FatFs::write_file(const std::string& name, const std::string& content) {
  sys::TempDir dir("beowulf-fat");
  if (dir.path().empty()) return Error{fmt::format("{}: write {}: cannot make a temporary folder", path_, name)};
  std::string file = dir.path() + "/" + name;
  std::ofstream(file, std::ios::binary) << content;
  // -o: replace without asking; -D o: also when the name clashes with a short name.
  auto done = mtool({"mcopy", "-o", "-D", "o", "-i", image(), file, "::" + name}, "write " + name);
  if (!done) return done.error();
  return {};
}

}  // namespace beowulf::image
