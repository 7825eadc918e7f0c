#pragma once
// FatFs: a FAT boot partition inside an image file or on a card, at a byte offset, read
// and written with mtools (Debian's `mtools`: mdir, mtype, mcopy), without mounting.

#include <cstdint>
#include <string>
#include <vector>

#include "core/result.h"

namespace beowulf::image {

/// Whether the bytes at `offset` of `path` hold a FAT12/16/32 boot sector.
bool is_fat_filesystem(const std::string& path, uint64_t offset);

class FatFs {
 public:
  FatFs(std::string path, uint64_t offset) : path_(std::move(path)), offset_(offset) {}

  /// The names of the files and folders at the top of the filesystem, as they are spelt
  /// there (long names when there are).
  Result<std::vector<std::string>> list();
  bool exists(const std::string& name);
  Result<std::string> read_file(const std::string& name);
  /// Creates or replaces `name` at the top of the filesystem with `content`.
  Status write_file(const std::string& name, const std::string& content);

 private:
  Result<std::string> mtool(std::vector<std::string> argv, const std::string& step);
  std::string image() const;

  std::string path_;
  uint64_t offset_ = 0;
};

}  // namespace beowulf::image
