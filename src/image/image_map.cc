#include "image/image_map.h"

#include <fcntl.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/core.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "image/ext_fs.h"
#include "image/image_source.h"
#include "image/sha256.h"

namespace beowulf::image {
namespace {

/// The data extents of a regular file within [from, to) (SEEK_DATA/SEEK_HOLE); the
/// whole span for a device or a filesystem without hole reporting.
std::vector<ByteRange> data_extents(int fd, uint64_t from, uint64_t to) {
  std::vector<ByteRange> out;
  for (off_t at = static_cast<off_t>(from); at < static_cast<off_t>(to);) {
    off_t data = ::lseek(fd, at, SEEK_DATA);
    if (data < 0) {
      if (errno == ENXIO) break;  // only a hole is left
      return {{from, to - from}};
    }
    if (data >= static_cast<off_t>(to)) break;
    off_t hole = ::lseek(fd, data, SEEK_HOLE);
    if (hole < 0 || hole > static_cast<off_t>(to)) hole = static_cast<off_t>(to);
    out.push_back({static_cast<uint64_t>(data), static_cast<uint64_t>(hole - data)});
    at = hole;
  }
  return out;
}

}  // namespace

Result<uint64_t> size_of(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Error{fmt::format("{}: {}", path, std::strerror(errno))};
  struct stat st {};
  uint64_t size = 0;
  int rc = ::fstat(fd, &st);
  if (rc == 0 && S_ISBLK(st.st_mode)) rc = ::ioctl(fd, BLKGETSIZE64, &size);
  else size = static_cast<uint64_t>(st.st_size);
  int saved = errno;
  ::close(fd);
  if (rc != 0) return Error{fmt::format("{}: size: {}", path, std::strerror(saved))};
  return size;
}

uint64_t image_extent(const PartitionTable& table, uint64_t device_size) {
  if (table.partitions.empty()) return device_size;
  uint64_t end = 0;
  for (const auto& p : table.partitions) end = std::max(end, p.end());
  return std::min(device_size, end + table.tail_bytes());
}

Result<std::vector<ByteRange>> map_filesystems(const std::string& path, uint64_t size, const PartitionTable& table) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Error{fmt::format("{}: {}", path, std::strerror(errno))};
  std::vector<ByteRange> data = data_extents(fd, 0, size);
  ::close(fd);
  std::vector<ByteRange> ranges = data;

  std::vector<Partition> filesystems = table.partitions;
  if (table.label.empty()) filesystems = {{1, 0, size, {}}};
  std::vector<ByteRange> used;
  for (const auto& p : filesystems) {
    if (p.end() > size || !is_ext_filesystem(path, p.start)) continue;
    auto fs = ExtFs::open(path, p.start, false);
    if (!fs) return fs.error();
    auto blocks = fs->used_ranges();
    if (!blocks) return blocks.error();
    ranges = without(ranges, {p.start, p.size});
    std::vector<ByteRange> in_partition;
    for (auto r : *blocks) {
      r.offset += p.start;
      if (r.offset >= p.end()) continue;
      r.length = std::min(r.end(), p.end()) - r.offset;
      in_partition.push_back(r);
    }
    if (fs->has_lazy_inode_tables()) in_partition = intersection(in_partition, data);
    used.insert(used.end(), in_partition.begin(), in_partition.end());
  }
  ranges.insert(ranges.end(), used.begin(), used.end());
  return merged(std::move(ranges));
}

Bmap bmap_of(const std::vector<ByteRange>& ranges, uint64_t image_size) {
  Bmap bmap{.image_size = image_size, .block_size = kBmapBlockSize};
  for (const auto& r : ranges) {
    if (r.length == 0 || r.offset >= image_size) continue;
    uint64_t first = r.offset / kBmapBlockSize;
    uint64_t last = (std::min(r.end(), image_size) - 1) / kBmapBlockSize;
    if (!bmap.ranges.empty() && first <= bmap.ranges.back().last + 1)
      bmap.ranges.back().last = std::max(bmap.ranges.back().last, last);
    else
      bmap.ranges.push_back({first, last, {}});
  }
  return bmap;
}

std::optional<std::string> find_bmap_file(const std::string& image) {
  std::string plain = without_compression_suffix(image);
  std::vector<std::string> candidates = {image + ".bmap", plain + ".bmap"};
  auto dot = plain.rfind('.');
  if (dot != std::string::npos && plain.find('/', dot) == std::string::npos) candidates.push_back(plain.substr(0, dot) + ".bmap");
  for (const auto& c : candidates)
    if (std::filesystem::is_regular_file(c)) return c;
  return std::nullopt;
}

Result<Bmap> load_bmap(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error{fmt::format("{}: cannot read the bmap file", path)};
  std::stringstream text;
  text << in.rdbuf();
  auto bmap = parse_bmap(text.str());
  if (!bmap) {
    Error e = bmap.error();
    e.what = path + ": " + e.what;
    return e;
  }
  if (bmap->checksum_type == "sha256" && !bmap->file_checksum.empty() &&
      Sha256::of(zero_file_checksum(text.str())) != bmap->file_checksum)
    return bad_input(fmt::format("{}: the bmap file's own checksum does not match: the file is corrupt or was edited", path));
  return bmap;
}

Status save_bmap(const Bmap& bmap, const std::string& path) {
  std::string checksum = Sha256::of(format_bmap(bmap, std::string(64, '0')));
  std::string text = format_bmap(bmap, checksum);
  std::string temp = path + ".tmp";
  {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    out << text;
    if (!out.flush()) return Error{fmt::format("{}: cannot write the bmap file", temp)};
  }
  std::error_code ec;
  std::filesystem::rename(temp, path, ec);
  if (ec) return Error{fmt::format("{}: cannot write the bmap file: {}", path, ec.message())};
  return {};
}

}  // namespace beowulf::image
