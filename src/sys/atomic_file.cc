#include "sys/atomic_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <fmt/core.h>

#include "sys/paths.h"

namespace beowulf::sys {
namespace {

Error io_error(std::string_view step, const std::string& path, int error) {
  return Error{fmt::format("{} {}: {}", step, display_path(path), std::strerror(error)), {}, {}, ErrorKind::failed};
}

std::string parent_of(const std::string& path) {
  std::size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

/// Writes all of `content` to `fd`; the errno of the failure, or 0.
int write_all(int fd, std::string_view content) {
  while (!content.empty()) {
    ssize_t n = ::write(fd, content.data(), content.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return errno;
    content.remove_prefix(static_cast<std::size_t>(n));
  }
  return 0;
}

/// Fills a temporary file next to `path`; its name, or the errno of the failure.
int fill_temporary(const std::string& path, std::string_view content, mode_t mode, std::string& temporary) {
  std::string name = path.substr(path.rfind('/') + 1);
  std::string pattern = parent_of(path) + "/." + name + ".beowulf-XXXXXX";
  int fd = ::mkstemp(pattern.data());
  if (fd < 0) return errno;
  temporary = pattern;
  int error = ::fchmod(fd, mode) < 0 ? errno : write_all(fd, content);
  if (!error && ::fsync(fd) < 0) error = errno;
  if (::close(fd) < 0 && !error) error = errno;
  return error;
}

}  // namespace

Status write_file_atomically(const std::string& path, std::string_view content, mode_t mode) {
  std::string temporary;
  int error = fill_temporary(path, content, mode, temporary);
  if (!error && ::rename(temporary.c_str(), path.c_str()) < 0) error = errno;
  if (error) {
    if (!temporary.empty()) ::unlink(temporary.c_str());
    return io_error("write", path, error);
  }
  int folder = ::open(parent_of(path).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (folder < 0) return io_error("write", path, errno);
  error = ::fsync(folder) < 0 ? errno : 0;
  ::close(folder);
  if (error) return io_error("write", path, error);
  return {};
}

Result<std::string> read_file(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return io_error("read", path, errno);
  std::string content;
  char buffer[65536];
  for (;;) {
    ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      int error = errno;
      ::close(fd);
      return io_error("read", path, error);
    }
    if (n == 0) break;
    content.append(buffer, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return content;
}

bool file_exists(const std::string& path) {
  struct stat info;
  return ::lstat(path.c_str(), &info) == 0;
}

Status make_directory(const std::string& path, mode_t mode) {
  struct stat info;
  if (::stat(path.c_str(), &info) == 0) {
    if (S_ISDIR(info.st_mode)) return {};
    return io_error("make folder", path, ENOTDIR);
  }
  std::string parent = parent_of(path);
  if (parent != path && parent != "." && parent != "/")
    if (auto made = make_directory(parent, mode); !made) return made;
  if (::mkdir(path.c_str(), mode) < 0 && errno != EEXIST) return io_error("make folder", path, errno);
  if (::chmod(path.c_str(), mode) < 0) return io_error("make folder", path, errno);  // the umask does not apply
  return {};
}

}  // namespace beowulf::sys
