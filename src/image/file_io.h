#pragma once
// Positioned writes that finish or fail, naming the file and the byte.

#include <cstddef>
#include <cstdint>
#include <string>

#include "core/result.h"
#include "image/byte_range.h"

namespace beowulf::image {

/// Asks the kernel to start reading `fd` a window (`window` bytes) ahead of a reader that
/// is at `at` in `range`, reading it front to back `chunk` bytes at a time: the whole
/// window when the range starts, then one chunk a window further each time. The disk
/// then reads while the caller writes or hashes.
void read_ahead(int fd, ByteRange range, uint64_t at, uint64_t chunk, uint64_t window);

/// Writes all `size` bytes of `data` at `offset` of `fd` (named `path` in errors).
Status write_all(int fd, const std::string& path, const char* data, size_t size, uint64_t offset);

}  // namespace beowulf::image
