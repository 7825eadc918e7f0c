#include "image/image_writer.h"

#include <fcntl.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <fmt/core.h>

#include <cerrno>
#include <cstring>

#include "image/aligned_buffer.h"
#include "image/copy_plan.h"
#include "image/file_io.h"
#include "image/sha256.h"
#include "image/verifier.h"

namespace beowulf::image {
namespace {

/// Copies what the plan maps (or, for a stream without bmap, every byte, filling in the
/// plan's ranges and checksums as it goes). A fresh file target starts as zeros, so zero
/// chunks are skipped there and the file stays sparse.
class Copier {
 public:
  Copier(ImageSource& source, CopyPlan& plan, int fd, const TargetInfo& target, const ProgressFn& progress)
      : source_(source), plan_(plan), fd_(fd), target_(target), progress_(progress), buffer_(kChunk) {}

  Result<uint64_t> run() {
    if (plan_.every_byte()) return copy_stream();
    uint64_t total = plan_.mapped_bytes();
    for (auto& range : plan_.ranges) {
      // A stream cannot be read again to verify: keep what it held as checksums.
      bool hash = range.sha256.empty() && !source_.seekable();
      Sha256 sha;
      for (uint64_t at = range.bytes.offset; at < range.bytes.end(); at += kChunk) {
        size_t length = static_cast<size_t>(std::min<uint64_t>(kChunk, range.bytes.end() - at));
        if (source_.seekable()) read_ahead(source_.fd(), range.bytes, at, kChunk, kReadAhead);
        auto got = source_.read_at(at, buffer_.data(), length);
        if (!got) return got.error();
        if (*got < length)
          return Error{fmt::format("{}: the image ends at byte {}, before the end of its map ({})", source_.path(),
                                   at + *got, plan_.map_from)};
        if (hash) sha.update(buffer_.data(), length);
        if (auto written = put(at, length); !written) return written.error();
        done_ += length;
        if (progress_) progress_({"write", done_, total});
      }
      if (hash) range.sha256 = sha.hex();
    }
    return done_;
  }

 private:
  Status put(uint64_t offset, size_t length) {
    if (!target_.block_device && all_zero(buffer_.data(), length)) return {};
    return write_all(fd_, target_.path, buffer_.data(), length, offset);
  }

  Result<uint64_t> copy_stream() {
    uint64_t at = 0;
    std::vector<PlannedRange> ranges;
    for (;; at += kChunk) {
      auto got = source_.read_at(at, buffer_.data(), kChunk);
      if (!got) return got.error();
      if (*got == 0) break;
      size_t length = *got;
      if (auto written = put(at, length); !written) return written.error();
      ranges.push_back({{at, length}, Sha256::of({buffer_.data(), length})});
      done_ += length;
      if (progress_) progress_({"write", done_, 0});
      if (*got < kChunk) {
        at += *got;
        break;
      }
    }
    if (auto finished = source_.finish(); !finished) return finished.error();
    if (!target_.block_device && ::ftruncate(fd_, static_cast<off_t>(at)) != 0)
      return Error{fmt::format("{}: set size: {}", target_.path, std::strerror(errno))};
    plan_.ranges = std::move(ranges);
    plan_.image_size = at;
    return done_;
  }

  ImageSource& source_;
  CopyPlan& plan_;
  int fd_;
  const TargetInfo& target_;
  const ProgressFn& progress_;
  AlignedBuffer buffer_;
  uint64_t done_ = 0;
};

struct Fd {
  int fd;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

}  // namespace

Result<WriteResult> write_image(const std::string& image, const TargetInfo& target, const ProgressFn& progress) {
  auto source = ImageSource::open(image);
  if (!source) return source.error();
  auto plan = plan_copy(image, *source);
  if (!plan) return plan.error();
  if (auto ok = check_target(target, plan->image_size); !ok) return ok.error();
  if (auto ok = check_not_source(target, image); !ok) return ok.error();

  auto fd = open_target(target);
  if (!fd) return fd.error();
  Fd guard{*fd};
  if (!target.block_device && plan->image_size && ::ftruncate(*fd, static_cast<off_t>(plan->image_size)) != 0)
    return Error{fmt::format("{}: set size: {}", target.path, std::strerror(errno))};
  auto written = Copier(*source, *plan, *fd, target, progress).run();
  if (!written) return written.error();
  if (::fsync(*fd) != 0) return Error{fmt::format("{}: fsync: {}", target.path, std::strerror(errno))};
  if (target.block_device) ::ioctl(*fd, BLKRRPART);  // the kernel learns the new partitions; best effort

  auto verified = verify_target(*source, *plan, target.path, progress);
  if (!verified) return verified.error();
  return WriteResult{plan->image_size, *written, plan->map_from, verified->read_back};
}

}  // namespace beowulf::image
