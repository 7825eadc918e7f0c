#include "image/target.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

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
