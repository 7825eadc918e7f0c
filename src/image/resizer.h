#pragma once
// Resizer: `image shrink` and `image expand`: move the end of the last partition, an
// ext2/3/4 filesystem, with e2fsck and resize2fs (run on the partition in place through
// their `FILE?offset=N` syntax) and libfdisk for the table.

#include <cstdint>
#include <string>

#include "core/result.h"

namespace beowulf::image {

struct ResizeResult {
  uint64_t old_size = 0;  ///< of the image (shrink) or filesystem (expand), bytes
  uint64_t new_size = 0;
  size_t partition = 0;   ///< the number of the partition resized
};

/// Shrinks the last partition of the image file `image` to its filesystem's minimum plus
/// a margin (a tenth, at least 16 MiB), then truncates the file after it. The filesystem
/// is checked (e2fsck -fy) first and is clean after. Refuses a device, a last partition
/// that is not ext2/3/4, and a partition table other than dos or gpt.
Result<ResizeResult> shrink_image(const std::string& image);

/// Grows the last partition and its filesystem to the end of `target`: a card, or an
/// image file made `new_size` bytes long (0: keep the file's size).
Result<ResizeResult> expand_image(const std::string& target, uint64_t new_size);

}  // namespace beowulf::image
