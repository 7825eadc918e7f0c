#pragma once
// ImageMap: which bytes of an image matter, found two ways: from a `.bmap` file beside
// it (bmaptool's, or ours), or from the image itself: the partition table, every area
// that is not an ext filesystem (where a plain file has data, as bmaptool maps it), and
// of each ext2/3/4 filesystem only the blocks its block bitmap marks used (libext2fs);
// where that filesystem has checksummed group descriptors (ext4's default), less the
// holes of a plain file (what mkfs left unwritten: lazy inode tables, zeroed ranges),
// as bmaptool maps them.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/bmap.h"
#include "core/result.h"
#include "image/byte_range.h"
#include "image/partition_table.h"

namespace beowulf::image {

/// The block size of the bmaps beowulf writes: that of bmaptool.
constexpr uint32_t kBmapBlockSize = 4096;

/// The size of `path`: a regular file's length, a block device's capacity.
Result<uint64_t> size_of(const std::string& path);

/// The ranges of `path` (an image or a device) that hold data, in bytes, over its first
/// `size` bytes, merged and sorted.
Result<std::vector<ByteRange>> map_filesystems(const std::string& path, uint64_t size, const PartitionTable& table);

/// How much of a card an image occupies: the end of its last partition (and GPT's backup
/// header), or all of `device_size` when there is no partition table.
uint64_t image_extent(const PartitionTable& table, uint64_t device_size);

/// A bmap (without checksums) whose ranges cover `ranges`, in blocks of kBmapBlockSize.
Bmap bmap_of(const std::vector<ByteRange>& ranges, uint64_t image_size);

/// The `.bmap` beside `image`: IMAGE.bmap, or (for a.img.xz) a.img.bmap, or a.bmap.
/// nullopt when there is none.
std::optional<std::string> find_bmap_file(const std::string& image);

/// Reads and parses the bmap file `path`, checking its BmapFileChecksum when it has one.
Result<Bmap> load_bmap(const std::string& path);

/// Writes `bmap` to `path` with its BmapFileChecksum, atomically.
Status save_bmap(const Bmap& bmap, const std::string& path);

}  // namespace beowulf::image
