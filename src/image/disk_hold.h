#pragma once
// DiskHold: a card held exclusively while beowulf edits it in place (personalize, prepare,
// expand). The kernel refuses to mount it, or any of its partitions, and refuses every
// other exclusive open (another beowulf, a partitioner, an automounter) until the hold ends.

#include <string>

#include "core/result.h"

namespace beowulf::image {

class DiskHold {
 public:
  /// For a block device: refuses it when it is mounted (in any mount namespace) or in use
  /// (check_not_in_use), opens it with O_EXCL, and checks that the device opened is the one
  /// inspected (its st_rdev): a card swapped in the reader meanwhile is refused. For a
  /// regular file (an image), holds nothing and always succeeds.
  static Result<DiskHold> take(const std::string& path);

  DiskHold(DiskHold&& other) noexcept;
  DiskHold& operator=(DiskHold&& other) noexcept;
  ~DiskHold();

  /// Lets go for a tool that claims the device exclusively itself (e2fsck, resize2fs);
  /// take it again with `retake`, which checks it is still the same device.
  void release();
  Status retake();

 private:
  DiskHold(std::string path, unsigned long device) : path_(std::move(path)), device_(device) {}
  Status open_exclusively();

  std::string path_;
  unsigned long device_ = 0;  ///< st_rdev inspected; 0 for a regular file
  int fd_ = -1;
};

}  // namespace beowulf::image
