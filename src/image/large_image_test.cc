// A card image over 4 GiB whose root filesystem starts past 4 GiB: every offset the image
// commands use is beyond what a 32-bit off_t (or size_t, or long) can hold. On a 64-bit
// build this passes either way; it exists for the armhf build under qemu-arm, where
// without _FILE_OFFSET_BITS=64 the first ftruncate or pread fails with EOVERFLOW.
#include <gtest/gtest.h>
#include <sys/types.h>

#include <ctime>

#include "image/image_reader.h"
#include "image/image_writer.h"
#include "image/personalizer.h"
#include "image/target.h"
#include "image/test_card.h"
#include "image/verifier.h"

namespace beowulf::image {
namespace {

static_assert(sizeof(off_t) == 8 && sizeof(time_t) == 8,
              "32-bit targets need _FILE_OFFSET_BITS=64 and _TIME_BITS=64 (CMakeLists.txt)");

namespace fs = std::filesystem;
using testing::must_run;
using testing::write_text;

class LargeImage : public testing::TestCard {
 protected:
  static constexpr uint64_t kLargeRootStart = (4ull << 30) + (1 << 20);  // 4 GiB + 1 MiB
  static constexpr uint64_t kLargeSize = kLargeRootStart + (48 << 20);

  std::string large_root(const std::string& image) const { return image + "?offset=" + std::to_string(kLargeRootStart); }

  /// A sparse 4 GiB + 49 MiB card whose one partition, an ext4 root at 4 GiB + 1 MiB,
  /// holds /etc/hostname, linaro's home and 4 MiB of data.
  std::string make_large_card() {
    std::string image = path("large.img");
    must_run({"truncate", "-s", std::to_string(kLargeSize), image});
    uint64_t root_sector = kLargeRootStart / 512;
    must_run({"sfdisk", "-q", image},
             "label: dos\nstart=" + std::to_string(root_sector) + ", type=83\n");
    fs::path root = dir_ / "root";
    write_text(root / "etc/passwd", "linaro:x:1000:1001:Linaro:/home/linaro:/bin/bash\n");
    write_text(root / "etc/hostname", "linaro-nano\n");
    write_text(root / "etc/hosts", "127.0.0.1\tlocalhost\n127.0.1.1\tlinaro-nano\n");
    write_text(root / "data.bin", std::string(4 << 20, 'x'));
    fs::create_directories(root / "home/linaro");
    must_run({"mkfs.ext4", "-q", "-F", "-d", root.string(), "-E", "offset=" + std::to_string(kLargeRootStart), image,
              std::to_string((kLargeSize - kLargeRootStart) / 1024) + "k"});
    return image;
  }
};

TEST_F(LargeImage, ReadWriteVerifyAndPersonalizePast4GiB) {
  std::string card = make_large_card();

  auto read = read_image(card, path("copy.img"), {});
  ASSERT_TRUE(read.ok()) << read.error().message();
  EXPECT_EQ(read->image_size, kLargeSize);
  EXPECT_EQ(fs::file_size(path("copy.img")), kLargeSize);
  EXPECT_EQ(must_run({"debugfs", "-R", "cat /etc/hostname", large_root(path("copy.img"))}).out, "linaro-nano\n");

  auto target = inspect_target(path("out.img"));
  ASSERT_TRUE(target.ok()) << target.error().message();
  auto written = write_image(path("copy.img"), *target, {});
  ASSERT_TRUE(written.ok()) << written.error().message();
  EXPECT_EQ(fs::file_size(path("out.img")), kLargeSize);
  auto verified = verify_image(path("copy.img"), path("out.img"), {});
  ASSERT_TRUE(verified.ok()) << verified.error().message();
  EXPECT_GE(verified->bytes_checked, 4u << 20);  // the data file, past 4 GiB

  auto personal = personalize(path("out.img"), {.hostname = "worker004"});
  ASSERT_TRUE(personal.ok()) << personal.error().message();
  EXPECT_EQ(personal->root_offset, kLargeRootStart);
  EXPECT_EQ(must_run({"debugfs", "-R", "cat /etc/hostname", large_root(path("out.img"))}).out, "worker004\n");
  must_run({"e2fsck", "-fn", large_root(path("out.img"))});
}

}  // namespace
}  // namespace beowulf::image
