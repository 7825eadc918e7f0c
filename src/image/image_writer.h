#pragma once
// ImageWriter: `image write`: copies the mapped ranges of an image to a card or a file,
// fsyncs, then verifies by reading back (see verifier.h).

#include <string>

#include "core/result.h"
#include "image/progress.h"
#include "image/target.h"

namespace beowulf::image {

struct WriteResult {
  uint64_t image_size = 0;
  uint64_t bytes_written = 0;  ///< the mapped bytes copied
  std::string map_from;        ///< "a.img.bmap", "the filesystems", ...
  std::string read_back;       ///< how the verification read the target
};

/// Writes `image` (plain, .xz, .zst or .gz) to `target` (checked with check_target first:
/// nothing is written to a device that is refused), fsyncs, and verifies it. Fails on the
/// first read, write or verification error, naming the file and byte.
Result<WriteResult> write_image(const std::string& image, const TargetInfo& target, const ProgressFn& progress);

}  // namespace beowulf::image
