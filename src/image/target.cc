#include "image/target.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <fmt/core.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>


namespace fs = std::filesystem;

namespace beowulf::image {
namespace {

std::string read_line(const fs::path& file) {
  std::ifstream in(file);
  std::string line;
  std::getline(in, line);
  while (!line.empty() && (line.back() == ' ' || line.back() == '\n')) line.pop_back();
  return line;
}

std::string dev_name(dev_t dev) { return fmt::format("{}:{}", major(dev), minor(dev)); }

/// The sysfs folder of the whole disk `dev` (the parent of a partition).
fs::path disk_folder(dev_t dev) {
  std::error_code ec;
  fs::path folder = fs::canonical("/sys/dev/block/" + dev_name(dev), ec);
  if (ec) return {};
  if (fs::exists(folder / "partition")) folder = folder.parent_path();
  return folder;
}

/// "8:16" of the disk and of each of its partitions, with their /dev names.
std::vector<std::pair<std::string, std::string>> devices_of_disk(const fs::path& disk) {
  std::vector<std::pair<std::string, std::string>> out = {{read_line(disk / "dev"), "/dev/" + disk.filename().string()}};
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(disk, ec))
    if (fs::exists(entry.path() / "partition")) out.push_back({read_line(entry.path() / "dev"), "/dev/" + entry.path().filename().string()});
  return out;
}

std::string read_all(const fs::path& file) {
  std::ifstream in(file);
  return {std::istreambuf_iterator<char>(in), {}};
}

/// The mountinfo of every mount namespace on this machine, once each: ours first, then
/// those of other processes (a desktop's automounter, a container), each with the
/// process named in the mount's description.
std::vector<std::pair<std::string, std::string>> every_mountinfo() {
  std::vector<std::pair<std::string, std::string>> out = {{"", read_all("/proc/self/mountinfo")}};
  std::error_code ec;
  std::set<fs::path> seen = {fs::read_symlink("/proc/self/ns/mnt", ec)};
  for (const auto& entry : fs::directory_iterator("/proc", ec)) {
    std::string pid = entry.path().filename().string();
    if (pid.find_first_not_of("0123456789") != std::string::npos) continue;
    std::error_code gone;
    fs::path ns = fs::read_symlink(entry.path() / "ns" / "mnt", gone);
    if (gone || !seen.insert(ns).second) continue;
    std::string text = read_all(entry.path() / "mountinfo");
    if (!text.empty()) out.push_back({fmt::format(" (in the mount namespace of process {})", pid), text});
  }
  return out;
}

void find_uses(TargetInfo& info, const fs::path& disk) {
  auto devices = devices_of_disk(disk);
  for (const auto& [where, text] : every_mountinfo()) {
    for (const auto& use : mounts_of(text, devices)) {
      if (where.empty() && use.ends_with(" on /")) info.holds_system = fmt::format("/ ({})", use.substr(0, use.size() - 5));
      info.mounted.push_back(use + where);
    }
  }
  std::set<std::string> swaps;
  std::ifstream in("/proc/swaps");
  for (std::string line; std::getline(in, line);) swaps.insert(line.substr(0, line.find_first_of(" \t")));
  for (const auto& [devno, name] : devices) {
    if (swaps.count(name)) info.mounted.push_back(fmt::format("{} as swap", name));
    std::error_code ec;
    fs::path sys = fs::canonical("/sys/dev/block/" + devno, ec);
    for (const auto& holder : fs::directory_iterator(sys / "holders", ec))
      info.mounted.push_back(fmt::format("{} by {}", name, holder.path().filename().string()));
  }
}

/// The /dev name of a mount's source, following /dev/disk/by-* links; empty when it is none.
std::string device_name(const std::string& source) {
  if (source.rfind("/dev/", 0) != 0) return {};
  std::error_code ec;
  fs::path real = fs::canonical(source, ec);
  return ec ? source : real.string();
}

}  // namespace

std::vector<std::string> mounts_of(std::string_view mountinfo, const std::vector<std::pair<std::string, std::string>>& devices) {
  std::vector<std::string> out;
  std::istringstream in{std::string(mountinfo)};
  for (std::string line; std::getline(in, line);) {
    // id parent major:minor root mount-point options [optional fields] - type source super-options
    std::istringstream fields(line);
    std::string id, parent, devno, root, point, word, type, source;
    fields >> id >> parent >> devno >> root >> point;
    while (fields >> word && word != "-") {
    }
    fields >> type >> source;
    std::string named = device_name(source);
    for (const auto& [number, name] : devices) {
      if (number == devno || (!named.empty() && named == name)) {
        out.push_back(fmt::format("{} on {}", name, point));
        break;
      }
    }
  }
  return out;
}

bool same_file(const std::string& a, const std::string& b) {
  struct stat sa {}, sb {};
  if (::stat(a.c_str(), &sa) != 0 || ::stat(b.c_str(), &sb) != 0) return false;
  if (S_ISBLK(sa.st_mode) && S_ISBLK(sb.st_mode)) return sa.st_rdev == sb.st_rdev;
  return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

Status check_not_source(const TargetInfo& target, const std::string& image) {
  if (!same_file(target.path, image)) return {};
  return bad_input(fmt::format("{}: refusing to write: it is the image itself ({})", target.path, image),
                   "name the card's device, or a new file, as the target");
}

std::string human_bytes(uint64_t bytes) {
  const char* units[] = {"bytes", "KiB", "MiB", "GiB", "TiB"};
  double value = static_cast<double>(bytes);
  int unit = 0;
  while (value >= 1024 && unit < 4) value /= 1024, ++unit;
  return unit == 0 ? fmt::format("{} bytes", bytes) : fmt::format("{:.1f} {}", value, units[unit]);
}

Result<TargetInfo> inspect_target(const std::string& path) {
  TargetInfo info{.path = path};
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    if (errno == ENOENT && path.rfind("/dev/", 0) == 0)
      return bad_input(fmt::format("{}: no such device: refusing to make a file in /dev", path),
                       "is the card in the reader? lsblk -o NAME,SIZE,MODEL lists the devices");
    if (errno == ENOENT) return info;  // a new image file
    return Error{fmt::format("{}: {}", path, std::strerror(errno))};
  }
  info.exists = true;
  if (S_ISREG(st.st_mode)) {
    info.device = st.st_dev;
    info.inode = st.st_ino;
    return info;
  }
  if (!S_ISBLK(st.st_mode))
    return bad_input(fmt::format("{}: refusing to write: it is neither a block device nor a regular file", path));
  info.block_device = true;
  info.device = st.st_rdev;
  // sysfs, not the device: looking must not need the right to open it.
  std::error_code ec;
  fs::path self = fs::canonical("/sys/dev/block/" + dev_name(st.st_rdev), ec);
  std::string sectors = ec ? "" : read_line(self / "size");
  if (sectors.empty() || sectors.find_first_not_of("0123456789") != std::string::npos)
    return Error{fmt::format("{}: cannot find the device's size in /sys/dev/block/{}", path, dev_name(st.st_rdev))};
  info.size = std::stoull(sectors) * 512;  // sysfs counts 512-byte sectors whatever the device's own
  fs::path disk = disk_folder(st.st_rdev);
  info.model = read_line(disk / "device" / "model");
  if (info.model.empty()) info.model = read_line(disk / "device" / "name");  // SD cards on mmc
  find_uses(info, disk);
  return info;
}

Status check_target(const TargetInfo& target, uint64_t image_size) {
  if (!target.block_device) return {};
  if (!target.holds_system.empty())
    return bad_input(fmt::format("{}: refusing to write: it holds the running system: {}", target.path, target.holds_system),
                     "name the card's device: lsblk -o NAME,SIZE,MODEL,MOUNTPOINTS lists them");
  if (!target.mounted.empty()) {
    std::string uses;
    for (const auto& m : target.mounted) uses += (uses.empty() ? "" : ", ") + m;
    return bad_input(fmt::format("{}: refusing to write: it is in use: {}", target.path, uses),
                     "unmount its partitions first (umount), or name another device");
  }
  if (target.size < image_size)
    return bad_input(fmt::format("{}: refusing to write: the device holds {} ({} bytes) but the image needs {} ({} bytes)",
                                 target.path, human_bytes(target.size), target.size, human_bytes(image_size), image_size),
                     "use a bigger card, or make the image smaller: beowulf image shrink IMAGE");
  return {};
}

Status check_not_in_use(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0 || !S_ISBLK(st.st_mode)) return {};
  auto info = inspect_target(path);
  if (!info) return info.error();
  return check_target(*info, 0);
}

std::string describe(const TargetInfo& target) {
  if (!target.block_device) return "regular file";
  return fmt::format("{}{}", target.model.empty() ? "" : target.model + ", ", human_bytes(target.size));
}

Result<int> open_target(const TargetInfo& target) {
  int flags = O_WRONLY | O_CLOEXEC;
  if (target.block_device) flags |= O_EXCL;
  else if (!target.exists) flags |= O_CREAT | O_EXCL | O_NOFOLLOW;
  else flags |= O_NOFOLLOW;
  int fd = ::open(target.path.c_str(), flags, 0644);
  if (fd < 0) {
    if (errno == EBUSY)
      return Error{fmt::format("{}: refusing to write: the device is busy (mounted or opened exclusively elsewhere)", target.path)};
    if (errno == EEXIST || errno == ELOOP)
      return Error{fmt::format("{}: refusing to write: it {} since it was checked", target.path,
                               errno == EEXIST ? "appeared" : "is a symbolic link")};
    return Error{fmt::format("{}: open for writing: {}", target.path, std::strerror(errno))};
  }
  struct stat st {};
  bool same = ::fstat(fd, &st) == 0 &&
              (target.block_device ? S_ISBLK(st.st_mode) && st.st_rdev == target.device
                                   : !target.exists || (S_ISREG(st.st_mode) && st.st_dev == target.device && st.st_ino == target.inode));
  if (!same) {
    ::close(fd);
    return Error{fmt::format("{}: refusing to write: it is not the {} that was checked", target.path,
                             target.block_device ? "device" : "file")};
  }
  if (target.exists && !target.block_device && ::ftruncate(fd, 0) != 0) {
    int why = errno;
    ::close(fd);
    return Error{fmt::format("{}: empty it: {}", target.path, std::strerror(why))};
  }
  return fd;
}

}  // namespace beowulf::image
