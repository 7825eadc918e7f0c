#pragma once
// Bmap: bmaptool's block map (format 2.0), the list of the blocks of an image that hold
// data, each range with its sha256. Pure text in, values out, values in, text out: the
// checksums themselves are computed by the caller (src/image/), never here.
// https://github.com/yoctoproject/bmaptool (docs/README.md, "bmap file format").

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace beowulf {

/// Blocks first..last (inclusive), and the hex sha256 of their bytes (empty when absent).
struct BmapRange {
  uint64_t first = 0;
  uint64_t last = 0;
  std::string sha256;
  uint64_t blocks() const { return last - first + 1; }
  bool operator==(const BmapRange&) const = default;
};

struct Bmap {
  uint64_t image_size = 0;             ///< bytes
  uint32_t block_size = 4096;          ///< bytes
  std::string checksum_type = "sha256";
  std::string file_checksum;           ///< BmapFileChecksum as found; empty when absent
  std::vector<BmapRange> ranges;       ///< ascending, not overlapping

  uint64_t blocks_count() const { return (image_size + block_size - 1) / block_size; }
  uint64_t mapped_blocks() const;
  /// Bytes the ranges cover, the last block clipped to the image size.
  uint64_t mapped_bytes() const;
  /// Byte offset and length of `range`, clipped to the image size.
  uint64_t range_offset(const BmapRange& range) const { return range.first * block_size; }
  uint64_t range_length(const BmapRange& range) const;
};

/// Parses a bmap file of format 1.x or 2.x. Fails, naming the line, on anything that is
/// not a well-formed bmap: a missing element, a number that is not one, ranges out of
/// order or past the image's end, a checksum of the wrong length, a major version > 2.
Result<Bmap> parse_bmap(std::string_view text);

/// A bmap file (format 2.0) that `bmaptool copy` accepts. `file_checksum` is written into
/// BmapFileChecksum: bmaptool expects the sha256 of this very text with that field's value
/// replaced by 64 zeros (see `zero_file_checksum`).
std::string format_bmap(const Bmap& bmap, std::string_view file_checksum);

/// `text` with the value of BmapFileChecksum replaced by as many '0' characters: the text
/// whose sha256 the field must hold. Unchanged when there is no such field.
std::string zero_file_checksum(std::string_view text);

}  // namespace beowulf
