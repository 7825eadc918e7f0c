#include "image/file_io.h"

#include <unistd.h>

#include <fmt/core.h>

#include <cerrno>
#include <cstring>

namespace beowulf::image {

Status write_all(int fd, const std::string& path, const char* data, size_t size, uint64_t offset) {
  for (size_t done = 0; done < size;) {
    ssize_t n = ::pwrite(fd, data + done, size - done, static_cast<off_t>(offset + done));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Error{fmt::format("write {} at byte {}: {}", path, offset + done, std::strerror(errno))};
    done += static_cast<size_t>(n);
  }
  return {};
}

}  // namespace beowulf::image
