#include "image/file_io.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>

#include <fmt/core.h>

#include <cerrno>
#include <cstring>

namespace beowulf::image {

void read_ahead(int fd, ByteRange range, uint64_t at, uint64_t chunk, uint64_t window) {
  uint64_t from = at == range.offset ? at : at + window - chunk;
  uint64_t to = std::min(range.end(), at + window);
  if (from < to) ::posix_fadvise(fd, static_cast<off_t>(from), static_cast<off_t>(to - from), POSIX_FADV_WILLNEED);
}

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
