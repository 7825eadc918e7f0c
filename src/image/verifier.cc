#include "image/verifier.h"

#include <fcntl.h>
#include <unistd.h>

#include <fmt/core.h>

#include <cerrno>
#include <cstring>
#include <future>
#include <string_view>
#include <vector>
#include <optional>

#include "image/aligned_buffer.h"
#include "image/sha256.h"

namespace beowulf::image {
namespace {

constexpr uint64_t kAlign = 4096;

/// The target opened for reading around the page cache, and how.
struct ReadBack {
  int fd = -1;
  std::string how;  ///< "with O_DIRECT", or why not and what instead
  ~ReadBack() {
    if (fd >= 0) ::close(fd);
  }
};

Result<std::unique_ptr<ReadBack>> open_read_back(const std::string& target) {
  auto rb = std::make_unique<ReadBack>();
  rb->fd = ::open(target.c_str(), O_RDONLY | O_CLOEXEC | O_DIRECT);
  if (rb->fd >= 0) {
    rb->how = "with O_DIRECT";
    return rb;
  }
  int why = errno;
  if (why != EINVAL) return Error{fmt::format("verify: open {}: {}", target, std::strerror(why))};
  // tmpfs and some FUSE filesystems refuse O_DIRECT. Their data lives in the page cache
  // anyway; elsewhere, dropping the (clean, fsynced) cached pages makes reads hit the disk.
  rb->fd = ::open(target.c_str(), O_RDONLY | O_CLOEXEC);
  if (rb->fd < 0) return Error{fmt::format("verify: open {}: {}", target, std::strerror(errno))};
  ::posix_fadvise(rb->fd, 0, 0, POSIX_FADV_DONTNEED);
  rb->how = fmt::format("through the page cache (dropped first): the filesystem of {} refuses O_DIRECT ({})", target,
                        std::strerror(why));
  return rb;
}

/// Reads `length` bytes at `offset` (aligned to kAlign) into `buffer`, sized for the
/// rounded-up length; returns the bytes read, short only at the end of the target.
Result<size_t> read_target(int fd, const std::string& target, uint64_t offset, size_t length, char* buffer) {
  size_t want = (length + kAlign - 1) / kAlign * kAlign;
  size_t done = 0;
  while (done < want) {
    ssize_t n = ::pread(fd, buffer + done, want - done, static_cast<off_t>(offset + done));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Error{fmt::format("verify: read {} at byte {}: {}", target, offset + done, std::strerror(errno))};
    if (n == 0) break;
    done += static_cast<size_t>(n);
  }
  return std::min(done, length);
}

Error differs_at(const std::string& target, const std::string& image, uint64_t offset) {
  return Error{fmt::format("verify: {} differs from {} at byte {}", target, image, offset)};
}

Error ends_early(const std::string& target, uint64_t offset) {
  return Error{fmt::format("verify: {} ends at byte {}, before the end of the image", target, offset)};
}

/// The first byte of `range` where `target` differs from `source`; nullopt when they are
/// the same (or the source cannot be read again).
std::optional<uint64_t> first_difference(ImageSource& source, int fd, const std::string& target, ByteRange range) {
  if (!source.seekable()) return std::nullopt;
  AlignedBuffer ours(kChunk), theirs(kChunk);
  for (uint64_t at = range.offset; at < range.end(); at += kChunk) {
    size_t length = static_cast<size_t>(std::min<uint64_t>(kChunk, range.end() - at));
    auto a = source.read_at(at, ours.data(), length);
    auto b = read_target(fd, target, at, length, theirs.data());
    if (!a || !b) return at;
    for (size_t i = 0; i < std::min(*a, *b); ++i)
      if (ours.data()[i] != theirs.data()[i]) return at + i;
    if (*a != *b) return at + std::min(*a, *b);
  }
  return std::nullopt;
}

/// The chunks of `ranges`, read from the target one ahead of the caller on a second
/// thread, so that the device is busy while the caller compares or hashes.
class ReadAhead {
 public:
  ReadAhead(int fd, const std::string& target, const std::vector<PlannedRange>& ranges) : fd_(fd), target_(target) {
    for (const auto& r : ranges)
      for (uint64_t at = r.bytes.offset; at < r.bytes.end(); at += kChunk)
        chunks_.push_back({at, std::min<uint64_t>(kChunk, r.bytes.end() - at)});
    start(0);
  }
  ~ReadAhead() {
    if (pending_.valid()) pending_.wait();
  }

  /// The next chunk's bytes (as many as the target had); in the order of the ranges.
  Result<std::string_view> next() {
    auto got = pending_.get();
    char* data = buffers_[index_ % 2].data();
    ++index_;
    start(index_);
    if (!got) return got.error();
    return std::string_view(data, *got);
  }

 private:
  void start(size_t i) {
    if (i >= chunks_.size()) return;
    char* buffer = buffers_[i % 2].data();
    ByteRange chunk = chunks_[i];
    pending_ = std::async(std::launch::async, [this, chunk, buffer] {
      return read_target(fd_, target_, chunk.offset, static_cast<size_t>(chunk.length), buffer);
    });
  }

  int fd_;
  const std::string& target_;
  std::vector<ByteRange> chunks_;
  AlignedBuffer buffers_[2] = {AlignedBuffer(kChunk), AlignedBuffer(kChunk)};
  size_t index_ = 0;
  std::future<Result<size_t>> pending_;
};

}  // namespace

Result<VerifyResult> verify_target(ImageSource& source, const CopyPlan& plan, const std::string& target,
                                   const ProgressFn& progress) {
  auto rb = open_read_back(target);
  if (!rb) return rb.error();
  int fd = (*rb)->fd;
  VerifyResult result{.read_back = (*rb)->how};
  AlignedBuffer ours(kChunk), theirs(kChunk);
  uint64_t total = plan.mapped_bytes();

  if (plan.every_byte()) {  // a stream without checksums: compare as it comes
    for (uint64_t at = 0;; at += kChunk) {
      auto a = source.read_at(at, ours.data(), kChunk);
      if (!a) return a.error();
      if (*a == 0) break;
      auto b = read_target(fd, target, at, *a, theirs.data());
      if (!b) return b.error();
      if (*b < *a) return ends_early(target, at + *b);
      if (std::memcmp(ours.data(), theirs.data(), *a) != 0) {
        size_t i = 0;
        while (ours.data()[i] == theirs.data()[i]) ++i;
        return differs_at(target, source.path(), at + i);
      }
      result.bytes_checked += *a;
      if (progress) progress({"verify", result.bytes_checked, 0});
    }
    if (auto finished = source.finish(); !finished) return finished.error();
    return result;
  }

  ReadAhead read_ahead(fd, target, plan.ranges);
  for (const auto& range : plan.ranges) {
    Sha256 sha;
    bool by_sum = !range.sha256.empty();
    for (uint64_t at = range.bytes.offset; at < range.bytes.end(); at += kChunk) {
      size_t length = static_cast<size_t>(std::min<uint64_t>(kChunk, range.bytes.end() - at));
      auto back = read_ahead.next();
      if (!back) return back.error();
      if (back->size() < length) return ends_early(target, at + back->size());
      if (by_sum) {
        sha.update(back->data(), length);
      } else {
        auto a = source.read_at(at, ours.data(), length);
        if (!a) return a.error();
        if (*a < length) return Error{fmt::format("verify: {} ends at byte {}, before the end of its map", source.path(), at + *a)};
        if (std::memcmp(ours.data(), back->data(), length) != 0) {
          size_t i = 0;
          while (ours.data()[i] == (*back)[i]) ++i;
          return differs_at(target, source.path(), at + i);
        }
      }
      result.bytes_checked += length;
      if (progress) progress({"verify", result.bytes_checked, total});
    }
    if (by_sum && sha.hex() != range.sha256) {
      if (auto at = first_difference(source, fd, target, range.bytes)) return differs_at(target, source.path(), *at);
      std::string which = source.seekable() ? source.path() : target;  // same bytes as the image: the image is wrong
      return Error{fmt::format("verify: {}: bytes {}-{} do not match their sha256 in {}", which, range.bytes.offset,
                               range.bytes.end() - 1, plan.map_from),
                   {}, source.seekable() ? "the image changed after its bmap was made: make a new bmap" : ""};
    }
  }
  return result;
}

Result<VerifyResult> verify_image(const std::string& image, const std::string& target, const ProgressFn& progress) {
  auto source = ImageSource::open(image);
  if (!source) return source.error();
  auto plan = plan_copy(image, *source);
  if (!plan) return plan.error();
  return verify_target(*source, *plan, target, progress);
}

}  // namespace beowulf::image
