#pragma once
// ImageSource: the bytes of an image, from a plain file (random access) or from a
// compressed one (.xz, .zst, .gz) streamed through the system's own decompressor
// (`xz -dc`, `zstd -dc`, `gzip -dc`) as a child process. The decompressor runs on the
// other core while we write, uses the same code the user's tools use, and needs no
// extra library; a stream can only be read forward, which is all writing needs.

#include <cstdint>
#include <optional>
#include <string>

#include "core/result.h"
#include "sys/process.h"

namespace beowulf::image {

class ImageSource {
 public:
  /// Opens `path`; a name ending in .xz, .zst or .gz is decompressed on the fly.
  static Result<ImageSource> open(const std::string& path);

  ImageSource(ImageSource&&) noexcept;
  ImageSource& operator=(ImageSource&&) noexcept;
  ~ImageSource();

  const std::string& path() const { return path_; }
  bool seekable() const { return !process_.has_value(); }
  /// Bytes in a plain file; for a compressed one, unknown (0).
  uint64_t size() const { return size_; }
  int fd() const { return fd_; }

  /// Reads up to `length` bytes at `offset` into `buffer`; fewer only at the end of the
  /// image. A stream reads forward only: `offset` must not be behind what was read.
  Result<size_t> read_at(uint64_t offset, void* buffer, size_t length);

  /// For a stream: waits for the decompressor and fails when it reported an error.
  Status finish();

 private:
  ImageSource(std::string path, int fd, uint64_t size) : path_(std::move(path)), fd_(fd), size_(size) {}
  Status skip_to(uint64_t offset);

  std::string path_;
  int fd_ = -1;
  uint64_t size_ = 0;
  uint64_t position_ = 0;  ///< of a stream
  std::optional<sys::Process> process_;
};

/// The name without its compression suffix: "a.img.xz" -> "a.img".
std::string without_compression_suffix(const std::string& path);

}  // namespace beowulf::image
