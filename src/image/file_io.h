#pragma once
// Positioned writes that finish or fail, naming the file and the byte.

#include <cstddef>
#include <cstdint>
#include <string>

#include "core/result.h"

namespace beowulf::image {

/// Writes all `size` bytes of `data` at `offset` of `fd` (named `path` in errors).
Status write_all(int fd, const std::string& path, const char* data, size_t size, uint64_t offset);

}  // namespace beowulf::image
