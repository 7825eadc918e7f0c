#pragma once
// AlignedBuffer: memory aligned for O_DIRECT (4 KiB), freed with the object.

#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <memory>

namespace beowulf::image {

class AlignedBuffer {
 public:
  explicit AlignedBuffer(size_t size) : data_(static_cast<char*>(std::aligned_alloc(4096, size)), &std::free), size_(size) {}
  char* data() { return data_.get(); }
  size_t size() const { return size_; }

 private:
  std::unique_ptr<char, decltype(&std::free)> data_;
  size_t size_;
};

/// Whether `size` bytes at `data` are all zero.
inline bool all_zero(const char* data, size_t size) {
  return size == 0 || (data[0] == 0 && std::memcmp(data, data + 1, size - 1) == 0);
}

}  // namespace beowulf::image
