#include "image/image_reader.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/core.h>

#include <cerrno>
#include <cstring>

#include "image/aligned_buffer.h"
#include "image/copy_plan.h"
#include "image/image_map.h"
#include "image/image_source.h"
#include "image/sha256.h"

namespace beowulf::image {
namespace {

bool same_file(const std::string& a, const std::string& b) {
  struct stat sa {}, sb {};
  return ::stat(a.c_str(), &sa) == 0 && ::stat(b.c_str(), &sb) == 0 && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

Status write_all(int fd, const std::string& path, const char* data, size_t size, uint64_t offset) {
  for (size_t done = 0; done < size;) {
    ssize_t n = ::pwrite(fd, data + done, size - done, static_cast<off_t>(offset + done));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Error{fmt::format("write {} at byte {}: {}", path, offset + done, std::strerror(errno))};
    done += static_cast<size_t>(n);
  }
  return {};
}

}  // namespace

Result<ReadResult> read_image(const std::string& source_path, const std::string& image, const ProgressFn& progress) {
  if (same_file(source_path, image)) return bad_input(fmt::format("{}: the image would overwrite its own source", image));
  auto device_size = size_of(source_path);
  if (!device_size) return device_size.error();
  auto table = read_partition_table(source_path);
  if (!table) return table.error();
  uint64_t size = image_extent(*table, *device_size);
  auto ranges = map_filesystems(source_path, size, *table);
  if (!ranges) return ranges.error();
  Bmap bmap = bmap_of(*ranges, size);

  auto source = ImageSource::open(source_path);
  if (!source) return source.error();
  int fd = ::open(image.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return Error{fmt::format("{}: create image: {}", image, std::strerror(errno))};
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{fd};
  if (::ftruncate(fd, static_cast<off_t>(size)) != 0)
    return Error{fmt::format("{}: set size: {}", image, std::strerror(errno))};

  AlignedBuffer buffer(kChunk);
  uint64_t total = bmap.mapped_bytes(), done = 0;
  for (auto& range : bmap.ranges) {
    Sha256 sha;
    uint64_t end = bmap.range_offset(range) + bmap.range_length(range);
    for (uint64_t at = bmap.range_offset(range); at < end; at += kChunk) {
      size_t length = static_cast<size_t>(std::min<uint64_t>(kChunk, end - at));
      auto got = source->read_at(at, buffer.data(), length);
      if (!got) return got.error();
      if (*got < length) return Error{fmt::format("{}: read at byte {}: it ended early", source_path, at + *got)};
      sha.update(buffer.data(), length);
      if (!all_zero(buffer.data(), length))
        if (auto ok = write_all(fd, image, buffer.data(), length, at); !ok) return ok.error();
      done += length;
      if (progress) progress({"read", done, total});
    }
    range.sha256 = sha.hex();
  }
  if (::fsync(fd) != 0) return Error{fmt::format("{}: fsync: {}", image, std::strerror(errno))};
  std::string bmap_file = image + ".bmap";
  if (auto saved = save_bmap(bmap, bmap_file); !saved) return saved.error();
  return ReadResult{size, done, bmap_file};
}

}  // namespace beowulf::image
