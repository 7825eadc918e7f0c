#include "image/ext_fs.h"

extern "C" {
#include <et/com_err.h>
}
#include <ext2fs/ext2fs.h>
#include <fcntl.h>
#include <unistd.h>

#include <fmt/core.h>

#include <ctime>

namespace beowulf::image {
namespace {

/// com_err knows libext2fs's messages only once its table is registered.
const char* message_of(long code) {
  static const bool registered = (initialize_ext2_error_table(), true);
  (void)registered;
  return error_message(code);
}

std::string io_options(uint64_t offset) { return fmt::format("offset={}", offset); }

/// Splits "/etc/hostname" into "/etc" and "hostname".
std::pair<std::string, std::string> split(const std::string& file) {
  auto slash = file.rfind('/');
  std::string dir = slash == 0 ? "/" : file.substr(0, slash);
  return {dir, file.substr(slash + 1)};
}

}  // namespace

bool is_ext_filesystem(const std::string& path, uint64_t offset) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  unsigned char magic[2] = {};
  bool ok = ::pread(fd, magic, 2, static_cast<off_t>(offset + 1024 + 56)) == 2;
  ::close(fd);
  return ok && magic[0] == 0x53 && magic[1] == 0xEF;  // EXT2_SUPER_MAGIC, little-endian
}

Result<ExtFs> ExtFs::open(const std::string& path, uint64_t offset, bool writable) {
  std::string where = offset ? fmt::format("{} (partition at byte {})", path, offset) : path;
  ext2_filsys fs = nullptr;
  int flags = EXT2_FLAG_64BITS | (writable ? EXT2_FLAG_RW : 0);
  errcode_t code = ext2fs_open2(path.c_str(), io_options(offset).c_str(), flags, 0, 0, unix_io_manager, &fs);
  if (code == EXT2_ET_UNSUPP_FEATURE || code == EXT2_ET_RO_UNSUPP_FEATURE)
    return Error{fmt::format("{}: the filesystem uses features this libext2fs cannot {} ({})", where,
                             code == EXT2_ET_UNSUPP_FEATURE ? "read" : "write", message_of(code)),
                 {}, "update e2fsprogs (libext2fs) on this machine"};
  if (code) return Error{fmt::format("{}: open ext filesystem: {}", where, message_of(code))};
  ExtFs ext(fs, where);
  if (writable && ext2fs_has_feature_journal_needs_recovery(fs->super))
    return Error{fmt::format("{}: the filesystem's journal needs recovery: it was not cleanly unmounted", where), {},
                 "boot the card once and shut it down cleanly, or run e2fsck on it"};
  if (writable) {
    if (errcode_t code = ext2fs_read_bitmaps(fs)) return ext.fail("read bitmaps", code);
  }
  return ext;
}

ExtFs::ExtFs(ExtFs&& other) noexcept : fs_(other.fs_), where_(std::move(other.where_)) { other.fs_ = nullptr; }
ExtFs& ExtFs::operator=(ExtFs&& other) noexcept {
  std::swap(fs_, other.fs_);
  std::swap(where_, other.where_);
  return *this;
}
ExtFs::~ExtFs() {
  if (fs_) {
    fs_->flags &= ~EXT2_FLAG_DIRTY;  // an unclosed fs is abandoned, never half-written
    ext2fs_free(fs_);
  }
}

Error ExtFs::fail(const std::string& step, long code) const {
  return Error{fmt::format("{}: {}: {}", where_, step, message_of(code))};
}

Result<std::vector<ByteRange>> ExtFs::used_ranges() {
  if (errcode_t code = ext2fs_read_block_bitmap(fs_)) return fail("read block bitmap", code);
  uint64_t block_size = fs_->blocksize;
  uint64_t base = 0;  // io option offset: byte 0 of the filesystem
  blk64_t first = fs_->super->s_first_data_block;
  blk64_t last = ext2fs_blocks_count(fs_->super) - 1;
  std::vector<ByteRange> ranges;
  if (first > 0) ranges.push_back({base, first * block_size});  // the boot block of a 1 KiB-block fs
  for (blk64_t at = first; at <= last;) {
    blk64_t used = 0, free = 0;
    if (ext2fs_find_first_set_block_bitmap2(fs_->block_map, at, last, &used)) break;
    if (ext2fs_find_first_zero_block_bitmap2(fs_->block_map, used, last, &free)) free = last + 1;
    ranges.push_back({used * block_size, (free - used) * block_size});
    at = free;
  }
  return ranges;
}

Result<uint32_t> ExtFs::lookup(const std::string& file) {
  ext2_ino_t ino = 0;
  if (errcode_t code = ext2fs_namei(fs_, EXT2_ROOT_INO, EXT2_ROOT_INO, file.c_str(), &ino))
    return fail(fmt::format("find {}", file), code);
  return ino;
}

bool ExtFs::exists(const std::string& file) { return lookup(file).ok(); }

bool ExtFs::has_lazy_inode_tables() const { return ext2fs_has_group_desc_csum(fs_); }
uint32_t ExtFs::block_size() const { return fs_->blocksize; }
uint64_t ExtFs::blocks_count() const { return ext2fs_blocks_count(fs_->super); }

static int collect_name(ext2_dir_entry* entry, int, int, char*, void* names) {
  std::string name(entry->name, ext2fs_dirent_name_len(entry));
  if (name != "." && name != "..") static_cast<std::vector<std::string>*>(names)->push_back(name);
  return 0;
}

Result<std::vector<std::string>> ExtFs::list_dir(const std::string& dir) {
  auto ino = lookup(dir);
  if (!ino) return ino.error();
  std::vector<std::string> names;
  if (errcode_t code = ext2fs_dir_iterate(fs_, *ino, 0, nullptr, collect_name, &names))
    return fail(fmt::format("list {}", dir), code);
  return names;
}

Result<std::string> ExtFs::read_file(const std::string& file) {
  auto ino = lookup(file);
  if (!ino) return ino.error();
  ext2_file_t handle = nullptr;
  if (errcode_t code = ext2fs_file_open(fs_, *ino, 0, &handle)) return fail(fmt::format("open {}", file), code);
  std::string content(ext2fs_file_get_size(handle), '\0');
  unsigned int got = 0;
  errcode_t code = ext2fs_file_read(handle, content.data(), static_cast<unsigned int>(content.size()), &got);
  ext2fs_file_close(handle);
  if (code) return fail(fmt::format("read {}", file), code);
  content.resize(got);
  return content;
}

Result<FileOwner> ExtFs::owner(const std::string& file) {
  auto ino = lookup(file);
  if (!ino) return ino.error();
  ext2_inode inode{};
  if (errcode_t code = ext2fs_read_inode(fs_, *ino, &inode)) return fail(fmt::format("read inode of {}", file), code);
  return FileOwner{inode.i_mode, inode_uid(inode), inode_gid(inode)};
}

Status ExtFs::set_owner(uint32_t ino, FileOwner owner) {
  ext2_inode inode{};
  if (errcode_t code = ext2fs_read_inode(fs_, ino, &inode)) return fail("read inode", code);
  inode.i_mode = static_cast<__u16>((inode.i_mode & LINUX_S_IFMT) | (owner.mode & 07777));
  inode.i_uid = static_cast<__u16>(owner.uid & 0xffff);
  ext2fs_set_i_uid_high(inode, owner.uid >> 16);
  inode.i_gid = static_cast<__u16>(owner.gid & 0xffff);
  ext2fs_set_i_gid_high(inode, owner.gid >> 16);
  inode.i_ctime = inode.i_mtime = static_cast<__u32>(std::time(nullptr));
  if (errcode_t code = ext2fs_write_inode(fs_, ino, &inode)) return fail("write inode", code);
  return {};
}

/// Links `ino` into `dir` as `name`, growing the directory when it is full.
static errcode_t link_into(ext2_filsys fs, ext2_ino_t dir, const std::string& name, ext2_ino_t ino, int type) {
  errcode_t code = ext2fs_link(fs, dir, name.c_str(), ino, type);
  if (code == EXT2_ET_DIR_NO_SPACE) {
    if ((code = ext2fs_expand_dir(fs, dir))) return code;
    code = ext2fs_link(fs, dir, name.c_str(), ino, type);
  }
  return code;
}

Status ExtFs::write_file(const std::string& file, const std::string& content, FileOwner owner) {
  auto [dir, name] = split(file);
  auto parent = lookup(dir);
  if (!parent) return parent.error();
  ext2_ino_t ino = 0;
  if (auto existing = lookup(file)) {
    ino = *existing;
  } else {
    if (errcode_t code = ext2fs_new_inode(fs_, *parent, LINUX_S_IFREG | 0644, nullptr, &ino))
      return fail(fmt::format("create {}", file), code);
    if (errcode_t code = link_into(fs_, *parent, name, ino, EXT2_FT_REG_FILE)) return fail(fmt::format("link {}", file), code);
    ext2fs_inode_alloc_stats2(fs_, ino, +1, 0);
    ext2_inode inode{};
    inode.i_mode = LINUX_S_IFREG | 0644;
    inode.i_atime = inode.i_ctime = inode.i_mtime = static_cast<__u32>(std::time(nullptr));
    inode.i_links_count = 1;
    if (ext2fs_has_feature_extents(fs_->super)) {
      ext2_extent_handle_t handle = nullptr;
      if (errcode_t code = ext2fs_extent_open2(fs_, ino, &inode, &handle)) return fail(fmt::format("create {}", file), code);
      ext2fs_extent_free(handle);
    }
    if (errcode_t code = ext2fs_write_new_inode(fs_, ino, &inode)) return fail(fmt::format("create {}", file), code);
  }
  ext2_file_t handle = nullptr;
  if (errcode_t code = ext2fs_file_open(fs_, ino, EXT2_FILE_WRITE, &handle)) return fail(fmt::format("open {}", file), code);
  errcode_t code = ext2fs_file_set_size2(handle, 0);
  unsigned int written = 0;
  if (!code && !content.empty())
    code = ext2fs_file_write(handle, content.data(), static_cast<unsigned int>(content.size()), &written);
  if (!code) code = ext2fs_file_set_size2(handle, content.size());
  errcode_t close_code = ext2fs_file_close(handle);
  if (code || close_code) return fail(fmt::format("write {}", file), code ? code : close_code);
  return set_owner(ino, owner);
}

Status ExtFs::make_dir(const std::string& dir, FileOwner owner) {
  if (exists(dir)) return {};
  auto [parent_dir, name] = split(dir);
  auto parent = lookup(parent_dir);
  if (!parent) return parent.error();
  errcode_t code = ext2fs_mkdir(fs_, *parent, 0, name.c_str());
  if (code == EXT2_ET_DIR_NO_SPACE) {
    if ((code = ext2fs_expand_dir(fs_, *parent)) == 0) code = ext2fs_mkdir(fs_, *parent, 0, name.c_str());
  }
  if (code) return fail(fmt::format("make directory {}", dir), code);
  auto ino = lookup(dir);
  if (!ino) return ino.error();
  return set_owner(*ino, owner);
}

Status ExtFs::make_symlink(const std::string& link, const std::string& target) {
  if (exists(link)) return {};
  auto [dir, name] = split(link);
  auto parent = lookup(dir);
  if (!parent) return parent.error();
  errcode_t code = ext2fs_symlink(fs_, *parent, 0, name.c_str(), target.c_str());
  if (code == EXT2_ET_DIR_NO_SPACE) {
    if ((code = ext2fs_expand_dir(fs_, *parent)) == 0) code = ext2fs_symlink(fs_, *parent, 0, name.c_str(), target.c_str());
  }
  if (code) return fail(fmt::format("make symbolic link {}", link), code);
  return {};
}

Status ExtFs::remove(const std::string& file) {
  auto ino = lookup(file);
  if (!ino) return {};
  auto [dir, name] = split(file);
  auto parent = lookup(dir);
  if (!parent) return parent.error();
  ext2_inode inode{};
  if (errcode_t code = ext2fs_read_inode(fs_, *ino, &inode)) return fail(fmt::format("read inode of {}", file), code);
  if (LINUX_S_ISDIR(inode.i_mode)) return Error{fmt::format("{}: remove {}: it is a directory", where_, file)};
  if (errcode_t code = ext2fs_unlink(fs_, *parent, name.c_str(), *ino, 0)) return fail(fmt::format("unlink {}", file), code);
  if (inode.i_links_count > 1) {
    --inode.i_links_count;
    if (errcode_t code = ext2fs_write_inode(fs_, *ino, &inode)) return fail(fmt::format("remove {}", file), code);
    return {};
  }
  inode.i_links_count = 0;
  inode.i_dtime = static_cast<__u32>(std::time(nullptr));
  if (ext2fs_inode_has_valid_blocks2(fs_, &inode)) {
    if (errcode_t code = ext2fs_punch(fs_, *ino, &inode, nullptr, 0, ~0ULL)) return fail(fmt::format("free {}", file), code);
  }
  if (errcode_t code = ext2fs_write_inode(fs_, *ino, &inode)) return fail(fmt::format("remove {}", file), code);
  ext2fs_inode_alloc_stats2(fs_, *ino, -1, 0);
  return {};
}

Status ExtFs::close() {
  ext2_filsys fs = fs_;
  fs_ = nullptr;
  if (errcode_t code = ext2fs_close_free(&fs)) return Error{fmt::format("{}: write back: {}", where_, message_of(code))};
  return {};
}

}  // namespace beowulf::image
