#include "image/image_reader.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/core.h>

#include <cerrno>
#include <cstring>
#include <functional>

#include "image/aligned_buffer.h"
#include "image/copy_plan.h"
#include "image/file_io.h"
#include "image/image_map.h"
#include "image/image_source.h"
#include "image/sha256.h"
#include "image/target.h"

namespace beowulf::image {
namespace {

/// Reads every range of `bmap` from `source`, fills in its sha256, and hands each chunk
/// to `sink` (which may be empty). Returns the bytes read.
using Sink = std::function<Status(uint64_t offset, const char* data, size_t size)>;
Result<uint64_t> checksum_ranges(ImageSource& source, Bmap& bmap, const ProgressFn& progress, const Sink& sink) {
  AlignedBuffer buffer(kChunk);
  uint64_t total = bmap.mapped_bytes(), done = 0;
  for (auto& range : bmap.ranges) {
    Sha256 sha;
    uint64_t end = bmap.range_offset(range) + bmap.range_length(range);
    for (uint64_t at = bmap.range_offset(range); at < end; at += kChunk) {
      size_t length = static_cast<size_t>(std::min<uint64_t>(kChunk, end - at));
      read_ahead(source.fd(), {bmap.range_offset(range), end - bmap.range_offset(range)}, at, kChunk, kReadAhead);
      auto got = source.read_at(at, buffer.data(), length);
      if (!got) return got.error();
      if (*got < length) return Error{fmt::format("{}: read at byte {}: it ended early", source.path(), at + *got)};
      sha.update(buffer.data(), length);
      if (sink)
        if (auto ok = sink(at, buffer.data(), length); !ok) return ok.error();
      done += length;
      if (progress) progress({"read", done, total});
    }
    range.sha256 = sha.hex();
  }
  return done;
}

/// The bmap of `path` (a card or an image), without checksums yet.
Result<Bmap> map_of(const std::string& path) {
  auto device_size = size_of(path);
  if (!device_size) return device_size.error();
  auto table = read_partition_table(path);
  if (!table) return table.error();
  uint64_t size = image_extent(*table, *device_size);
  auto ranges = map_filesystems(path, size, *table);
  if (!ranges) return ranges.error();
  return bmap_of(*ranges, size);
}

}  // namespace

Result<ReadResult> read_image(const std::string& source_path, const std::string& image, const ProgressFn& progress) {
  if (same_file(source_path, image)) return bad_input(fmt::format("{}: the image would overwrite its own source", image));
  auto bmap = map_of(source_path);
  if (!bmap) return bmap.error();
  auto source = ImageSource::open(source_path);
  if (!source) return source.error();
  // O_EXCL|O_NOFOLLOW: an existing file or a link planted where the image goes is never overwritten.
  int fd = ::open(image.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
  if (fd < 0 && errno == EEXIST)
    return bad_input(fmt::format("{}: refusing to overwrite an existing file", image), "remove it first, or name a new image file");
  if (fd < 0) return Error{fmt::format("{}: create image: {}", image, std::strerror(errno))};
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{fd};
  if (::ftruncate(fd, static_cast<off_t>(bmap->image_size)) != 0)
    return Error{fmt::format("{}: set size: {}", image, std::strerror(errno))};

  auto done = checksum_ranges(*source, *bmap, progress, [&](uint64_t at, const char* data, size_t length) -> Status {
    if (all_zero(data, length)) return {};  // the image file stays sparse
    return write_all(fd, image, data, length, at);
  });
  if (!done) return done.error();
  if (::fsync(fd) != 0) return Error{fmt::format("{}: fsync: {}", image, std::strerror(errno))};
  std::string bmap_file = image + ".bmap";
  if (auto saved = save_bmap(*bmap, bmap_file); !saved) return saved.error();
  return ReadResult{bmap->image_size, *done, bmap_file};
}

Result<std::string> refresh_bmap(const std::string& image) {
  std::string bmap_file = image + ".bmap";
  if (::access(bmap_file.c_str(), F_OK) != 0) return std::string();
  auto bmap = map_of(image);
  if (!bmap) return bmap.error();
  auto source = ImageSource::open(image);
  if (!source) return source.error();
  if (auto done = checksum_ranges(*source, *bmap, {}, {}); !done) return done.error();
  if (auto saved = save_bmap(*bmap, bmap_file); !saved) return saved.error();
  return bmap_file;
}

}  // namespace beowulf::image
