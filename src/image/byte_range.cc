#include "image/byte_range.h"

#include <algorithm>

namespace beowulf::image {

std::vector<ByteRange> merged(std::vector<ByteRange> ranges) {
  std::sort(ranges.begin(), ranges.end(), [](auto& a, auto& b) { return a.offset < b.offset; });
  std::vector<ByteRange> out;
  for (const auto& r : ranges) {
    if (r.length == 0) continue;
    if (!out.empty() && r.offset <= out.back().end())
      out.back().length = std::max(out.back().end(), r.end()) - out.back().offset;
    else
      out.push_back(r);
  }
  return out;
}

std::vector<ByteRange> intersection(const std::vector<ByteRange>& a, const std::vector<ByteRange>& b) {
  std::vector<ByteRange> out;
  for (size_t i = 0, j = 0; i < a.size() && j < b.size();) {
    uint64_t begin = std::max(a[i].offset, b[j].offset), end = std::min(a[i].end(), b[j].end());
    if (begin < end) out.push_back({begin, end - begin});
    (a[i].end() < b[j].end()) ? ++i : ++j;
  }
  return out;
}

std::vector<ByteRange> without(const std::vector<ByteRange>& ranges, ByteRange hole) {
  std::vector<ByteRange> out;
  for (const auto& r : ranges) {
    if (r.end() <= hole.offset || r.offset >= hole.end()) {
      out.push_back(r);
      continue;
    }
    if (r.offset < hole.offset) out.push_back({r.offset, hole.offset - r.offset});
    if (r.end() > hole.end()) out.push_back({hole.end(), r.end() - hole.end()});
  }
  return out;
}

}  // namespace beowulf::image
