#pragma once
// CopyPlan: the ranges of an image to copy, and the sha256 each must have, chosen from
// the `.bmap` beside the image when there is one, else from the image's filesystems
// (a plain image), else every byte (a compressed image without a bmap: a stream).

#include <cstdint>
#include <string>
#include <vector>

#include "core/result.h"
#include "image/byte_range.h"
#include "image/image_source.h"

namespace beowulf::image {

struct PlannedRange {
  ByteRange bytes;
  std::string sha256;  ///< expected; empty when the plan has no checksum for it
};

struct CopyPlan {
  uint64_t image_size = 0;            ///< 0 when unknown (a stream without a bmap)
  std::vector<PlannedRange> ranges;   ///< empty for a stream without a bmap: every byte
  std::string map_from;               ///< "a.img.bmap", "the filesystems", "every byte"
  bool every_byte() const { return ranges.empty() && image_size == 0; }
  uint64_t mapped_bytes() const;
};

/// The plan to copy `source` (opened from `image`).
Result<CopyPlan> plan_copy(const std::string& image, const ImageSource& source);

/// The bytes `image` fills on a card (0 when unknown: a compressed image without bmap),
/// and where its map comes from. Fails when the image or its bmap cannot be read.
Result<CopyPlan> plan_image(const std::string& image);

/// The size of a chunk of copying: large enough that syscalls cost nothing, small
/// enough to stay in the CPU's caches while being hashed.
constexpr size_t kChunk = 4 << 20;

/// How far ahead of a copy the source is read (see read_ahead in file_io.h).
constexpr uint64_t kReadAhead = 8 * kChunk;

}  // namespace beowulf::image
