#include "image/resizer.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/core.h>

#include <cerrno>
#include <cstring>
#include <regex>

#include "image/disk_hold.h"
#include "image/ext_fs.h"
#include "image/image_map.h"
#include "image/partition_table.h"
#include "image/target.h"
#include "sys/process.h"

namespace beowulf::image {
namespace {

constexpr uint64_t kMiB = 1 << 20;

/// The last partition of `path`, which must hold an ext filesystem.
Result<std::pair<PartitionTable, Partition>> last_ext_partition(const std::string& path, std::string_view step) {
  auto table = read_partition_table(path);
  if (!table) return table.error();
  if (table->label != "dos" && table->label != "gpt")
    return bad_input(fmt::format("{}: {}: no dos or gpt partition table", path, step));
  if (table->partitions.empty()) return bad_input(fmt::format("{}: {}: the partition table is empty", path, step));
  Partition last = table->partitions.back();
  if (!is_ext_filesystem(path, last.start))
    return bad_input(fmt::format("{}: {}: the last partition ({}) is not an ext2/3/4 filesystem", path, step, last.number));
  return std::pair{*table, last};
}

std::string fs_spec(const std::string& path, uint64_t offset) { return fmt::format("{}?offset={}", path, offset); }

/// Runs an e2fsprogs tool; fails naming it and quoting its last line of complaint.
Result<sys::ProcessResult> run_tool(std::vector<std::string> argv, const std::string& path, int worst_ok = 0) {
  auto result = sys::run({.argv = argv, .env = {{"LC_ALL", "C"}}});
  if (!result) return result.error();
  if (result->exit_code < 0 || result->exit_code > worst_ok) {
    std::string said = result->err.empty() ? result->out : result->err;
    while (!said.empty() && said.back() == '\n') said.pop_back();
    said = said.substr(said.rfind('\n') == std::string::npos ? 0 : said.rfind('\n') + 1);
    return Error{fmt::format("{}: {} failed (exit status {}): {}", path, argv[0], result->exit_code, said)};
  }
  return result;
}

/// e2fsck -fy: exit 1 means "errors corrected", which is fine before a resize.
Status check_fs(const std::string& path, uint64_t offset) {
  auto r = run_tool({"e2fsck", "-fy", fs_spec(path, offset)}, path, 1);
  if (!r) return r.error();
  return {};
}

bool is_block_device(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && S_ISBLK(st.st_mode);
}

/// Copies `length` bytes from `in` at `from` to `out` at `to` (in the kernel when it can).
Status copy_bytes(int in, uint64_t from, int out, uint64_t to, uint64_t length, const std::string& what) {
  auto in_at = static_cast<loff_t>(from), out_at = static_cast<loff_t>(to);
  while (length > 0) {
    ssize_t n = ::copy_file_range(in, &in_at, out, &out_at, length, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return Error{fmt::format("{}: copy at byte {}: {}", what, in_at, n < 0 ? std::strerror(errno) : "short file")};
    length -= static_cast<uint64_t>(n);
  }
  return {};
}

/// Copies the used blocks of the filesystem at `from_offset` of `from` to `to_offset` of `to`.
Status copy_used_blocks(const std::string& from, uint64_t from_offset, int from_fd, int to_fd, uint64_t to_offset,
                        const std::string& what) {
  auto fs = ExtFs::open(from, from_offset, false);
  if (!fs) return fs.error();
  auto used = fs->used_ranges();
  if (!used) return used.error();
  for (const auto& r : *used)
    if (auto ok = copy_bytes(from_fd, from_offset + r.offset, to_fd, to_offset + r.offset, r.length, what); !ok) return ok;
  return {};
}

struct Fd {
  int fd = -1;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

/// resize2fs on the filesystem at `offset` of `path`. On a device it runs in place. On an
/// image file it runs on a temporary file holding only that filesystem's used blocks,
/// which are then copied back: resize2fs sets a regular file's length to the
/// filesystem's, which with an offset would cut the end of the image away.
Status resize_fs(const std::string& path, uint64_t offset, uint64_t bytes) {
  std::string size = fmt::format("{}K", bytes / 1024);
  if (is_block_device(path)) {
    auto r = run_tool({"resize2fs", fs_spec(path, offset), size}, path);
    return r ? Status{} : Status{r.error()};
  }
  std::string temp = path + ".beowulf-resize";
  Fd image{::open(path.c_str(), O_RDWR | O_CLOEXEC)};
  Fd work{::open(temp.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600)};
  if (image.fd < 0 || work.fd < 0)
    return Error{fmt::format("{}: resize: cannot open {}: {}", path, image.fd < 0 ? path : temp, std::strerror(errno))};
  struct Remover {
    std::string file;
    ~Remover() { ::unlink(file.c_str()); }
  } remover{temp};
  auto fs = ExtFs::open(path, offset, false);
  if (!fs) return fs.error();
  uint64_t old_bytes = fs->blocks_count() * fs->block_size();
  fs = Error{};
  if (::ftruncate(work.fd, static_cast<off_t>(old_bytes)) != 0) return Error{fmt::format("{}: {}", temp, std::strerror(errno))};
  if (auto ok = copy_used_blocks(path, offset, image.fd, work.fd, 0, temp); !ok) return ok;
  auto r = run_tool({"resize2fs", temp, size}, path);
  if (!r) return r.error();
  if (auto ok = copy_used_blocks(temp, 0, work.fd, image.fd, offset, path); !ok) return ok;
  if (::fsync(image.fd) != 0) return Error{fmt::format("{}: fsync: {}", path, std::strerror(errno))};
  return {};
}

Result<uint64_t> minimum_blocks(const std::string& path, uint64_t offset) {
  auto r = run_tool({"resize2fs", "-P", fs_spec(path, offset)}, path);
  if (!r) return r.error();
  std::smatch m;
  if (!std::regex_search(r->out, m, std::regex("minimum size of the filesystem: ([0-9]+)")))
    return Error{fmt::format("{}: resize2fs -P gave no minimum size: {}", path, r->out)};
  return std::stoull(m[1]);
}

Status set_file_size(const std::string& path, uint64_t size) {
  if (::truncate(path.c_str(), static_cast<off_t>(size)) != 0)
    return Error{fmt::format("{}: set size to {} bytes: {}", path, size, std::strerror(errno))};
  return {};
}


}  // namespace

Result<ResizeResult> shrink_image(const std::string& image) {
  if (is_block_device(image))
    return bad_input(fmt::format("{}: shrink works on image files, not on devices", image),
                     "read the card into an image first: beowulf image read DEVICE IMAGE");
  auto found = last_ext_partition(image, "shrink");
  if (!found) return found.error();
  auto& [table, part] = *found;
  auto old_size = size_of(image);
  if (!old_size) return old_size.error();
  if (auto ok = check_fs(image, part.start); !ok) return ok.error();
  auto fs = ExtFs::open(image, part.start, false);
  if (!fs) return fs.error();
  uint64_t block = fs->block_size(), blocks = fs->blocks_count();
  fs = Error{};  // close it before resize2fs writes
  auto minimum = minimum_blocks(image, part.start);
  if (!minimum) return minimum.error();
  uint64_t margin = std::max<uint64_t>(*minimum / 10, 16 * kMiB / block);
  uint64_t wanted = (*minimum + margin) * block;
  wanted = (wanted + kMiB - 1) / kMiB * kMiB;  // whole MiB: cards like aligned ends
  if (wanted < blocks * block) {
    if (auto ok = resize_fs(image, part.start, wanted); !ok) return ok.error();
    if (auto ok = resize_partition(image, part.number, wanted); !ok) return ok.error();
  } else {
    wanted = part.size;  // already small: just cut what follows the partition
  }
  uint64_t new_size = part.start + wanted + table.tail_bytes();
  if (new_size < *old_size) {
    if (auto ok = set_file_size(image, new_size); !ok) return ok.error();
    if (auto ok = rewrite_partition_table(image); !ok) return ok.error();
  }
  return ResizeResult{*old_size, std::min(new_size, *old_size), part.number};
}

Result<ResizeResult> expand_image(const std::string& target, uint64_t new_size) {
  bool device = is_block_device(target);
  auto hold = DiskHold::take(target);
  if (!hold) return hold.error();
  if (device && new_size) return bad_input(fmt::format("{}: --size is for image files: a card expands to its own size", target));
  auto old_size = size_of(target);
  if (!old_size) return old_size.error();
  if (!device && new_size) {
    if (new_size < *old_size)
      return bad_input(fmt::format("{}: expand: the image is {} bytes, more than --size {}", target, *old_size, new_size),
                       "to make an image smaller use: beowulf image shrink IMAGE");
    if (auto ok = set_file_size(target, new_size); !ok) return ok.error();
    if (auto ok = rewrite_partition_table(target); !ok) return ok.error();
  }
  auto found = last_ext_partition(target, "expand");
  if (!found) return found.error();
  auto& [table, part] = *found;
  uint64_t end = std::max(new_size, *old_size) - table.tail_bytes();
  uint64_t wanted = (end - part.start) / 4096 * 4096;
  if (wanted <= part.size) return ResizeResult{part.size, part.size, part.number};
  if (auto ok = resize_partition(target, part.number, wanted); !ok) return ok.error();
  // e2fsck and resize2fs open the device exclusively themselves: the kernel keeps it
  // claimed while they run; between them and after, the same device is held again.
  hold->release();
  if (auto ok = check_fs(target, part.start); !ok) return ok.error();
  if (auto ok = hold->retake(); !ok) return ok.error();
  hold->release();
  if (auto ok = resize_fs(target, part.start, wanted); !ok) return ok.error();
  if (auto ok = hold->retake(); !ok) return ok.error();
  return ResizeResult{part.size, wanted, part.number};
}

}  // namespace beowulf::image
