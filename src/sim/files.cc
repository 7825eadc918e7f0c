#include "sim/files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include <fmt/core.h>

namespace beowulf::sim {

Result<std::string> read_text(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Error{fmt::format("read {}: {}", path, std::strerror(errno))};
  std::string text;
  char buffer[65536];
  for (;;) {
    ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      int e = errno;
      ::close(fd);
      return Error{fmt::format("read {}: {}", path, std::strerror(e))};
    }
    if (n == 0) break;
    text.append(buffer, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return text;
}

Status write_text(const std::string& path, const std::string& text, unsigned mode) {
  std::string temporary = path + ".beowulf-new";
  int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
  if (fd < 0) return Error{fmt::format("write {}: {}", path, std::strerror(errno))};
  bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  ok = ::fchmod(fd, mode) == 0 && ok;  // the umask must not weaken or widen `mode`
  int e = errno;
  ok = ::close(fd) == 0 && ok;
  if (!ok || std::rename(temporary.c_str(), path.c_str()) != 0) {
    if (ok) e = errno;
    ::unlink(temporary.c_str());
    return Error{fmt::format("write {}: {}", path, std::strerror(e))};
  }
  return {};
}

}  // namespace beowulf::sim
