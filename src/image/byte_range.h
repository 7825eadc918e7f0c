#pragma once
// ByteRange: a run of bytes in an image or on a device.

#include <cstdint>
#include <vector>

namespace beowulf::image {

struct ByteRange {
  uint64_t offset = 0;
  uint64_t length = 0;
  uint64_t end() const { return offset + length; }
  bool operator==(const ByteRange&) const = default;
};

/// `ranges` sorted, with overlapping and touching ranges joined.
std::vector<ByteRange> merged(std::vector<ByteRange> ranges);

/// The bytes in both `a` and `b` (each sorted and disjoint).
std::vector<ByteRange> intersection(const std::vector<ByteRange>& a, const std::vector<ByteRange>& b);

/// The parts of `ranges` (sorted, disjoint) that lie outside `hole`.
std::vector<ByteRange> without(const std::vector<ByteRange>& ranges, ByteRange hole);

}  // namespace beowulf::image
