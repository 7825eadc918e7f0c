#include "launch/run_files.h"

#include <fmt/core.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>

namespace beowulf::launch {
namespace {

namespace fs = std::filesystem;

/// Whether `path` is `dir` itself or lies under it (both absolute and normal).
bool is_under(const fs::path& path, const fs::path& dir) {
  auto rel = path.lexically_relative(dir);
  return !rel.empty() && *rel.begin() != "..";
}

fs::path absolute_in(const std::string& path, const std::string& cwd) {
  fs::path p(path);
  return (p.is_absolute() ? p : fs::path(cwd) / p).lexically_normal();
}

/// Whether `path` is the user's own by place: it, and the file a link leads to, lie
/// under cwd or home (either as written or with its links resolved).
bool is_users_own(const fs::path& path, const std::string& cwd, const std::string& home) {
  std::error_code ec;
  fs::path real = fs::canonical(path, ec);
  if (ec) return false;
  std::vector<fs::path> dirs;
  for (const auto& dir : {cwd, home}) {
    if (dir.empty()) continue;
    dirs.push_back(fs::path(dir).lexically_normal());
    if (auto canonical = fs::canonical(dir, ec); !ec) dirs.push_back(canonical);
  }
  auto inside = [&](const fs::path& p) {
    return std::any_of(dirs.begin(), dirs.end(), [&](const fs::path& dir) { return is_under(p, dir); });
  };
  return inside(path) && inside(real);
}

void add_once(std::vector<std::string>& list, std::string path) {
  if (std::find(list.begin(), list.end(), path) == list.end()) list.push_back(std::move(path));
}

}  // namespace

std::vector<std::string> files_named_in(const std::vector<std::string>& args, const std::string& cwd,
                                        const std::string& home) {
  std::vector<std::string> files;
  for (const auto& arg : args) {
    if (arg.empty() || arg.front() == '-') continue;
    fs::path path = absolute_in(arg, cwd);
    std::error_code ec;
    if (!fs::is_regular_file(path, ec) || !is_users_own(path, cwd, home)) continue;
    add_once(files, path.string());
  }
  return files;
}

Result<std::vector<std::string>> files_to_sync(const std::vector<std::string>& paths, const std::string& cwd) {
  std::vector<std::string> files;
  for (const auto& given : paths) {
    fs::path path = absolute_in(given, cwd);
    std::error_code ec;
    auto status = fs::status(path, ec);
    if (!fs::exists(status)) return bad_input(fmt::format("--sync {}: no such file or folder", given));
    if (::access(path.c_str(), R_OK) != 0) return bad_input(fmt::format("--sync {}: cannot be read", given));
    if (fs::is_regular_file(status)) {
      files.push_back(path.string());
      continue;
    }
    if (!fs::is_directory(status)) return bad_input(fmt::format("--sync {}: not a file or folder", given));
    for (fs::recursive_directory_iterator it(path, ec), end; it != end && !ec; it.increment(ec)) {
      if (!it->is_regular_file(ec)) continue;
      if (::access(it->path().c_str(), R_OK) != 0)
        return bad_input(fmt::format("--sync {}: {} cannot be read", given, it->path().string()));
      files.push_back(it->path().string());
    }
    if (ec) return bad_input(fmt::format("--sync {}: {}", given, ec.message()));
  }
  std::sort(files.begin(), files.end());
  files.erase(std::unique(files.begin(), files.end()), files.end());
  return files;
}

std::string shown_path(const std::string& path, const std::string& cwd) {
  fs::path p(path), dir = fs::path(cwd).lexically_normal();
  if (p != dir && is_under(p, dir)) return p.lexically_relative(dir).string();
  return path;
}

bool is_system_path(const std::string& path) {
  fs::path p = fs::path(path).lexically_normal();
  if (is_under(p, "/usr/local")) return false;
  for (const char* dir : {"/usr", "/bin", "/sbin", "/lib", "/lib64", "/lib32"})
    if (is_under(p, dir)) return true;
  return false;
}

}  // namespace beowulf::launch
