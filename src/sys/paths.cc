#include "sys/paths.h"

#include <pwd.h>
#include <unistd.h>

#include <cstdlib>

namespace beowulf::sys {
namespace {

std::string environment(const char* name) {
  const char* value = std::getenv(name);
  return value ? value : "";
}

}  // namespace

std::string home_directory() {
  std::string home = environment("HOME");
  if (!home.empty()) return home;
  const passwd* entry = getpwuid(getuid());
  return entry && entry->pw_dir ? entry->pw_dir : "/";
}

std::string beowulf_home() {
  std::string home = environment("BEOWULF_HOME");
  return home.empty() ? home_directory() + "/.beowulf" : home;
}

std::string inventory_path() { return beowulf_home() + "/cluster.toml"; }

std::string machine_file_path(MachineFileFormat format) {
  return beowulf_home() + (format == MachineFileFormat::mpich ? "/machinefile" : "/hostfile");
}

std::string display_path(std::string_view path) {
  std::string home = home_directory();
  while (home.size() > 1 && home.back() == '/') home.pop_back();
  if (home.size() > 1 && path.starts_with(home) && (path.size() == home.size() || path[home.size()] == '/'))
    return "~" + std::string(path.substr(home.size()));
  return std::string(path);
}

}  // namespace beowulf::sys
