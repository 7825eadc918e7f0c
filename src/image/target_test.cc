#include "image/target.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/core.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace beowulf::image {
namespace {

/// The block device the running system's / is on (from /proc/self/mountinfo), or empty.
std::string root_device() {
  std::ifstream in("/proc/self/mountinfo");
  for (std::string line; std::getline(in, line);) {
    std::istringstream fields(line);
    std::string id, parent, devno, root, point, word;
    fields >> id >> parent >> devno >> root >> point;
    if (point != "/") continue;
    while (fields >> word && word != "-") {
    }
    std::string type, source;
    fields >> type >> source;
    struct stat st {};
    if (::stat(source.c_str(), &st) == 0 && S_ISBLK(st.st_mode)) return source;
  }
  return {};
}

TEST(Target, RefusesTheDiskOfTheRunningSystem) {
  std::string disk = root_device();
  if (disk.empty()) GTEST_SKIP() << "/ is not on a block device here";
  auto info = inspect_target(disk);
  ASSERT_TRUE(info.ok()) << info.error().message();
  EXPECT_TRUE(info->block_device);
  EXPECT_GT(info->size, 0u);
  auto refused = check_target(*info, 1 << 20);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().message(), disk + ": refusing to write: it holds the running system: / (" + disk + ")");
  EXPECT_EQ(refused.error().hint, "name the card's device: lsblk -o NAME,SIZE,MODEL,MOUNTPOINTS lists them");
  EXPECT_EQ(refused.error().kind, ErrorKind::bad_input);
}

TEST(Target, RefusesAMountedDevice) {
  TargetInfo card{.path = "/dev/sdb", .block_device = true, .size = 32ull << 30, .model = "SD Card",
                  .mounted = {"/dev/sdb1 on /media/boot", "/dev/sdb2 on /media/rootfs"}};
  auto refused = check_target(card, 1 << 30);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().message(),
            "/dev/sdb: refusing to write: it is in use: /dev/sdb1 on /media/boot, /dev/sdb2 on /media/rootfs");
  EXPECT_EQ(refused.error().hint, "unmount its partitions first (umount), or name another device");
}

TEST(Target, RefusesADeviceSmallerThanTheImage) {
  TargetInfo card{.path = "/dev/sdb", .block_device = true, .size = 4000000000, .model = "SD Card"};
  auto refused = check_target(card, 8000000000);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().message(),
            "/dev/sdb: refusing to write: the device holds 3.7 GiB (4000000000 bytes) but the image needs 7.5 GiB (8000000000 bytes)");
  EXPECT_EQ(refused.error().hint, "use a bigger card, or make the image smaller: beowulf image shrink IMAGE");
  EXPECT_TRUE(check_target(card, 4000000000).ok());
  EXPECT_EQ(describe(card), "SD Card, 3.7 GiB");
}

TEST(Target, RefusesWhatIsNeitherADeviceNorAFile) {
  auto info = inspect_target("/dev/null");
  ASSERT_FALSE(info.ok());
  EXPECT_EQ(info.error().message(), "/dev/null: refusing to write: it is neither a block device nor a regular file");
}

TEST(Target, AcceptsARegularFileAndCreatesIt) {
  std::string file = std::string(BEOWULF_BINARY_DIR) + "/target-test.img";
  std::filesystem::remove(file);
  auto info = inspect_target(file);
  ASSERT_TRUE(info.ok());
  EXPECT_FALSE(info->block_device);
  EXPECT_TRUE(check_target(*info, 1ull << 40).ok());  // a file grows to fit
  EXPECT_EQ(describe(*info), "regular file");
  auto fd = open_target(*info);
  ASSERT_TRUE(fd.ok()) << fd.error().message();
  ::close(*fd);
  EXPECT_TRUE(std::filesystem::is_regular_file(file));
  std::filesystem::remove(file);
}

}  // namespace
}  // namespace beowulf::image

namespace beowulf::image {
namespace {

TEST(Target, EditsInPlaceRefuseTheRunningSystemsDisk) {
  std::string disk = root_device();
  if (disk.empty()) GTEST_SKIP() << "/ is not on a block device here";
  auto refused = check_not_in_use(disk);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().message(), disk + ": refusing to write: it holds the running system: / (" + disk + ")");
  EXPECT_TRUE(check_not_in_use("/no/such/file").ok());
}

}  // namespace
}  // namespace beowulf::image

namespace beowulf::image {
namespace {

TEST(Target, RefusesAMissingDevicePath) {
  auto info = inspect_target("/dev/beowulf-no-such-card");
  ASSERT_FALSE(info.ok());
  EXPECT_EQ(info.error().message(), "/dev/beowulf-no-such-card: no such device: refusing to make a file in /dev");
  EXPECT_EQ(info.error().hint, "is the card in the reader? lsblk -o NAME,SIZE,MODEL lists the devices");
  EXPECT_EQ(info.error().kind, ErrorKind::bad_input);
  EXPECT_FALSE(std::filesystem::exists("/dev/beowulf-no-such-card"));
}

TEST(Target, FindsMountsByDeviceNumberAndByTheSourceOfBtrfs) {
  std::vector<std::pair<std::string, std::string>> card = {{"8:16", "/dev/sdb"}, {"8:17", "/dev/sdb1"}, {"8:18", "/dev/sdb2"}};
  std::string mountinfo =
      "22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw\n"
      "40 22 8:17 / /media/boot rw,relatime shared:20 - vfat /dev/sdb1 rw\n"
      "41 22 0:45 / /media/root rw,relatime shared:21 - btrfs /dev/sdb2 rw,space_cache=v2\n"
      "42 22 0:46 / /tmp rw - tmpfs tmpfs rw\n";
  EXPECT_EQ(mounts_of(mountinfo, card), (std::vector<std::string>{"/dev/sdb1 on /media/boot", "/dev/sdb2 on /media/root"}));
}

TEST(Target, ANewFileIsNeverOpenedOverOneThatAppeared) {
  std::string file = std::string(BEOWULF_BINARY_DIR) + "/target-test-planted.img";
  std::filesystem::remove(file);
  auto info = inspect_target(file);
  ASSERT_TRUE(info.ok());
  EXPECT_FALSE(info->exists);
  std::filesystem::create_symlink("/etc/hostname", file);  // planted between the check and the open
  auto fd = open_target(*info);
  ASSERT_FALSE(fd.ok());
  EXPECT_EQ(fd.error().message(), file + ": refusing to write: it appeared since it was checked");
  std::filesystem::remove(file);
}

TEST(Target, TheImageItselfIsRefusedAlsoThroughALink) {
  std::string dir = std::string(BEOWULF_BINARY_DIR) + "/target-test-self";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  std::ofstream(dir + "/a.img") << "image";
  std::filesystem::create_hard_link(dir + "/a.img", dir + "/hard.img");
  std::filesystem::create_symlink(dir + "/a.img", dir + "/soft.img");
  for (const char* name : {"/a.img", "/hard.img", "/soft.img"}) {
    auto info = inspect_target(dir + name);
    ASSERT_TRUE(info.ok());
    auto refused = check_not_source(*info, dir + "/a.img");
    ASSERT_FALSE(refused.ok()) << name;
    EXPECT_EQ(refused.error().message(), fmt::format("{}{}: refusing to write: it is the image itself ({}/a.img)", dir, name, dir));
  }
  auto other = inspect_target(dir + "/b.img");
  EXPECT_TRUE(check_not_source(*other, dir + "/a.img").ok());
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace beowulf::image
