#pragma once
// Target: where an image is written (a card's block device, or a regular file), what is
// known about it, and the checks that keep beowulf from ever writing over a disk in use.

#include <cstdint>
#include <string>
#include <vector>

#include "core/result.h"

namespace beowulf::image {

struct TargetInfo {
  std::string path;
  bool block_device = false;          ///< false: a regular file (or one to be made)
  uint64_t size = 0;                  ///< a device's capacity in bytes
  std::string model;                  ///< "SanDisk SD Card", from sysfs; may be empty
  std::vector<std::string> mounted;   ///< "/dev/sdb1 on /media/card", or a holder/swap in use
  std::string holds_system;           ///< what of the running system is on it ("/ (/dev/vda)")
};

/// Looks at `path`: a block device (its size, model, whether it or a partition of it is
/// mounted, used as swap or held by another device, whether the running system is on it),
/// or a regular file (which may not exist yet). Fails for anything else.
Result<TargetInfo> inspect_target(const std::string& path);

/// Refuses to write an image of `image_size` bytes to `target` when it holds the running
/// system, is mounted or in use, or is smaller than the image. Changes nothing.
Status check_target(const TargetInfo& target, uint64_t image_size);

/// For edits in place (expand, personalize): refuses a block device that is mounted, in
/// use or holds the running system; anything else passes.
Status check_not_in_use(const std::string& path);

/// "SanDisk SD Card, 29.7 GiB" or "regular file".
std::string describe(const TargetInfo& target);

/// Opens `target` for writing: a device with O_EXCL (the kernel refuses while anyone
/// mounts it), a regular file created or emptied. Returns the descriptor.
Result<int> open_target(const TargetInfo& target);

/// "29.7 GiB".
std::string human_bytes(uint64_t bytes);

}  // namespace beowulf::image
