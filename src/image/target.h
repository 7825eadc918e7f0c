#pragma once
// Target: where an image is written (a card's block device, or a regular file), what is
// known about it, and the checks that keep beowulf from ever writing over a disk in use.

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.h"

namespace beowulf::image {

struct TargetInfo {
  std::string path;
  bool block_device = false;          ///< false: a regular file (or one to be made)
  bool exists = false;                ///< false: a new file, made with O_EXCL
  uint64_t device = 0;                ///< st_rdev of a device; st_dev of an existing file
  uint64_t inode = 0;                 ///< st_ino of an existing file
  uint64_t size = 0;                  ///< a device's capacity in bytes
  std::string model;                  ///< "SanDisk SD Card", from sysfs; may be empty
  std::vector<std::string> mounted;   ///< "/dev/sdb1 on /media/card", or a holder/swap in use
  std::string holds_system;           ///< what of the running system is on it ("/ (/dev/vda)")
};

/// Looks at `path`: a block device (its size, model, whether it or a partition of it is
/// mounted in any mount namespace, used as swap or held by another device, whether the
/// running system is on it), or a regular file (which may not exist yet). Fails for
/// anything else, and for a path under /dev/ that does not exist (a typo, an empty reader:
/// a file made there would live in RAM and vanish).
Result<TargetInfo> inspect_target(const std::string& path);

/// Refuses to write an image of `image_size` bytes to `target` when it holds the running
/// system, is mounted or in use, or is smaller than the image. Changes nothing.
Status check_target(const TargetInfo& target, uint64_t image_size);

/// For edits in place (expand, personalize): refuses a block device that is mounted, in
/// use or holds the running system; anything else passes.
Status check_not_in_use(const std::string& path);

/// Refuses a target that is the image itself: the same file (device and inode, also
/// through a hard or symbolic link) or the same block device.
Status check_not_source(const TargetInfo& target, const std::string& image);

/// True when `a` and `b` name the same file or the same block device.
bool same_file(const std::string& a, const std::string& b);

/// The mounts of `devices` ("major:minor" and /dev name of a disk and its partitions) in
/// one /proc/PID/mountinfo text, as "/dev/sdb1 on /media/boot". A mount matches by its
/// device number, or by its source when the number is anonymous (btrfs shows 0:N).
std::vector<std::string> mounts_of(std::string_view mountinfo,
                                   const std::vector<std::pair<std::string, std::string>>& devices);

/// "SanDisk SD Card, 29.7 GiB" or "regular file".
std::string describe(const TargetInfo& target);

/// Opens `target` for writing: a device with O_EXCL (the kernel refuses while anyone
/// mounts it), a new file with O_CREAT|O_EXCL|O_NOFOLLOW (a file or link that appeared
/// since inspect_target is refused), an existing file (which the caller had confirmed)
/// with O_NOFOLLOW, emptied only when it is still the file inspected. Returns the descriptor.
Result<int> open_target(const TargetInfo& target);

/// "29.7 GiB".
std::string human_bytes(uint64_t bytes);

}  // namespace beowulf::image
