#pragma once
// ExtFs: an ext2/3/4 filesystem inside an image file or on a device, at a byte offset,
// read and edited through libext2fs without mounting anything.

#include <sys/types.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/result.h"
#include "image/byte_range.h"

struct struct_ext2_filsys;

namespace beowulf::image {

/// Whether the bytes at `offset` of `path` hold an ext2/3/4 superblock.
bool is_ext_filesystem(const std::string& path, uint64_t offset);

struct FileOwner {
  uint32_t mode = 0;  ///< permission bits and type, as st_mode
  uint32_t uid = 0;
  uint32_t gid = 0;
};

class ExtFs {
 public:
  /// Opens the filesystem at `offset` of `path`. With `writable`, fails when its journal
  /// needs recovery or it uses features this libext2fs cannot write, naming which.
  static Result<ExtFs> open(const std::string& path, uint64_t offset, bool writable);

  ExtFs(ExtFs&&) noexcept;
  ExtFs& operator=(ExtFs&&) noexcept;
  ~ExtFs();

  /// The byte ranges (absolute in `path`) of the blocks the block bitmap marks used.
  Result<std::vector<ByteRange>> used_ranges();

  /// True when the group descriptors carry checksums (uninit_bg or metadata_csum): the
  /// kernel and e2fsck then ignore inode-table blocks past each group's used inodes, so
  /// what mkfs left unwritten (holes in an image file) need not be written as zeros.
  bool has_lazy_inode_tables() const;
  uint32_t block_size() const;
  uint64_t blocks_count() const;

  bool exists(const std::string& file);
  /// The names in directory `dir`, without "." and "..".
  Result<std::vector<std::string>> list_dir(const std::string& dir);
  Result<std::string> read_file(const std::string& file);
  Result<FileOwner> owner(const std::string& file);
  /// Creates or replaces `file` (its directory must exist) with `content`, mode and owner.
  Status write_file(const std::string& file, const std::string& content, FileOwner owner);
  /// Creates directory `dir` (its parent must exist) unless it exists; sets mode and owner.
  Status make_dir(const std::string& dir, FileOwner owner);
  /// Creates the symbolic link `link` pointing at `target` unless `link` exists.
  Status make_symlink(const std::string& link, const std::string& target);
  /// Removes the file `file` (not a directory) if it exists.
  Status remove(const std::string& file);

  /// Writes everything back. Fails when the filesystem cannot be written.
  Status close();

 private:
  ExtFs(struct_ext2_filsys* fs, std::string where) : fs_(fs), where_(std::move(where)) {}
  Error fail(const std::string& step, long code) const;
  Result<uint32_t> lookup(const std::string& file);
  Status set_owner(uint32_t ino, FileOwner owner);

  struct_ext2_filsys* fs_ = nullptr;
  std::string where_;  ///< "card.img (offset 9437184)", for messages
};

}  // namespace beowulf::image
