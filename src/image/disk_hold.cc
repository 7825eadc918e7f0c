#include "image/disk_hold.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/core.h>

#include <cerrno>
#include <cstring>

#include "image/target.h"

namespace beowulf::image {

Result<DiskHold> DiskHold::take(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0 || !S_ISBLK(st.st_mode)) return DiskHold(path, 0);
  if (auto ok = check_not_in_use(path); !ok) return ok.error();
  DiskHold hold(path, st.st_rdev);
  if (auto ok = hold.open_exclusively(); !ok) return ok.error();
  return hold;
}

Status DiskHold::open_exclusively() {
  if (device_ == 0 || fd_ >= 0) return {};
  fd_ = ::open(path_.c_str(), O_RDONLY | O_EXCL | O_CLOEXEC);
  if (fd_ < 0 && errno == EBUSY)
    return bad_input(fmt::format("{}: refusing to edit: the device is busy (mounted, or opened exclusively elsewhere)", path_),
                     "unmount its partitions first (umount), or wait for the program using it");
  if (fd_ < 0) return Error{fmt::format("{}: open exclusively: {}", path_, std::strerror(errno))};
  struct stat st {};
  if (::fstat(fd_, &st) != 0 || !S_ISBLK(st.st_mode) || st.st_rdev != device_) {
    release();
    return Error{fmt::format("{}: refusing to edit: the device opened is not the one checked (was the card changed?)", path_)};
  }
  return {};
}

DiskHold::DiskHold(DiskHold&& other) noexcept : path_(std::move(other.path_)), device_(other.device_), fd_(other.fd_) {
  other.fd_ = -1;
}

DiskHold& DiskHold::operator=(DiskHold&& other) noexcept {
  std::swap(path_, other.path_);
  std::swap(device_, other.device_);
  std::swap(fd_, other.fd_);
  return *this;
}

DiskHold::~DiskHold() { release(); }

void DiskHold::release() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

Status DiskHold::retake() { return open_exclusively(); }

}  // namespace beowulf::image
