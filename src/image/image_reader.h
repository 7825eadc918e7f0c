#pragma once
// ImageReader: `image read`: copies a card (or an image) into a sparse image file, only
// the partition table, the non-ext areas and the used blocks of each ext filesystem,
// and writes IMAGE.bmap (bmaptool 2.0, sha256 per range) beside it.

#include <string>

#include "core/result.h"
#include "image/progress.h"

namespace beowulf::image {

struct ReadResult {
  uint64_t image_size = 0;
  uint64_t bytes_read = 0;
  std::string bmap_file;
};

/// Reads `source` into `image` and `image`.bmap, fsynced. Fails when the source cannot
/// be read or the image written, naming which and where; `image` must not be `source`.
Result<ReadResult> read_image(const std::string& source, const std::string& image, const ProgressFn& progress);

/// When `image`.bmap exists, rewrites it for the image as it is now (after shrink,
/// expand or personalize changed it); returns its name, or empty when there was none.
Result<std::string> refresh_bmap(const std::string& image);

}  // namespace beowulf::image
