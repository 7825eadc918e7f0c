#include "image/resizer.h"

#include <gtest/gtest.h>

#include "image/image_map.h"
#include "image/partition_table.h"
#include "image/test_card.h"

namespace beowulf::image {
namespace {

using testing::must_run;
using testing::read_text;

class Resizer : public testing::TestCard {
 protected:
  std::string data_of(const std::string& image) {
    must_run({"debugfs", "-R", "dump /data.bin " + path("data.out"), root_spec(image)});
    return read_text(path("data.out"));
  }
};

TEST_F(Resizer, ShrinkLeavesACleanFilesystemAndASmallerFile) {
  std::string card = make_card();
  std::string data = data_of(card);
  auto shrunk = shrink_image(card);
  ASSERT_TRUE(shrunk.ok()) << shrunk.error().message();
  EXPECT_EQ(shrunk->old_size, kSize);
  EXPECT_EQ(shrunk->partition, 2u);
  EXPECT_LT(shrunk->new_size, kSize);
  EXPECT_EQ(*size_of(card), shrunk->new_size);
  auto table = read_partition_table(card);
  ASSERT_TRUE(table.ok());
  EXPECT_EQ(table->partitions.back().end(), shrunk->new_size);
  must_run({"e2fsck", "-fn", root_spec(card)});  // exits 0: clean
  EXPECT_EQ(data_of(card), data);
  EXPECT_EQ(must_run({"mtype", "-i", card + "@@1M", "::config.txt"}).out, "arm_64bit=1\n");
}

TEST_F(Resizer, ExpandGrowsThePartitionAndItsFilesystem) {
  std::string card = make_card();
  std::string data = data_of(card);
  auto grown = expand_image(card, 128 << 20);
  ASSERT_TRUE(grown.ok()) << grown.error().message();
  EXPECT_EQ(*size_of(card), 128u << 20);
  EXPECT_EQ(grown->new_size, (128u << 20) - kRootStart);
  auto table = read_partition_table(card);
  ASSERT_TRUE(table.ok());
  EXPECT_EQ(table->partitions.back().end(), 128u << 20);
  must_run({"e2fsck", "-fn", root_spec(card)});
  std::string stats = must_run({"dumpe2fs", "-h", root_spec(card)}).out;
  EXPECT_NE(stats.find(fmt::format("Block count:              {}", grown->new_size / 1024)), std::string::npos) << stats;
  EXPECT_EQ(data_of(card), data);
}

TEST_F(Resizer, ShrinkThenExpandRoundTrips) {
  std::string card = make_card();
  ASSERT_TRUE(shrink_image(card).ok());
  ASSERT_TRUE(expand_image(card, kSize).ok());
  must_run({"e2fsck", "-fn", root_spec(card)});
  EXPECT_EQ(debugfs(card, "cat /etc/hostname"), "linaro-nano\n");
}

TEST_F(Resizer, RefusesWhatItCannotShrink) {
  std::string image = path("boot-only.img");
  must_run({"truncate", "-s", "32M", image});
  must_run({"sfdisk", "-q", image}, "label: dos\nstart=2048, type=c\n");
  must_run({"mkfs.vfat", "--offset", "2048", image});
  auto shrunk = shrink_image(image);
  ASSERT_FALSE(shrunk.ok());
  EXPECT_EQ(shrunk.error().message(), image + ": shrink: the last partition (1) is not an ext2/3/4 filesystem");
  EXPECT_EQ(shrunk.error().kind, ErrorKind::bad_input);

  testing::write_text(path("plain.img"), std::string(1 << 20, '\0'));
  EXPECT_EQ(shrink_image(path("plain.img")).error().message(), path("plain.img") + ": shrink: no dos or gpt partition table");
  auto smaller = expand_image(make_card(), 32 << 20);
  EXPECT_EQ(smaller.error().message(),
            fmt::format("{}: expand: the image is {} bytes, more than --size {}", path("card.img"), kSize, 32 << 20));
}

}  // namespace
}  // namespace beowulf::image
