#include "image/image_writer.h"

#include <fmt/core.h>
#include <gtest/gtest.h>

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>

#include "core/bmap.h"
#include "image/image_map.h"
#include "image/image_reader.h"
#include "image/test_card.h"
#include "image/verifier.h"

namespace beowulf::image {
namespace {

using testing::must_run;
using testing::read_text;

class ImageWriter : public testing::TestCard {
 protected:
  Result<WriteResult> write_to_file(const std::string& image, const std::string& target) {
    auto info = inspect_target(target);
    EXPECT_TRUE(info.ok());
    return write_image(image, *info, {});
  }
  /// Flips one byte of `file` at `offset`.
  void flip(const std::string& file, uint64_t offset) {
    std::fstream f(file, std::ios::in | std::ios::out | std::ios::binary);
    f.seekg(static_cast<std::streamoff>(offset));
    char c = static_cast<char>(f.get());
    f.seekp(static_cast<std::streamoff>(offset));
    f.put(static_cast<char>(c ^ 0x5a));
  }
};

TEST_F(ImageWriter, ReadCopiesOnlyTheUsedBlocksAndWritesABmap) {
  std::string card = make_card("card.img", 8);
  std::vector<Progress> seen;
  auto read = read_image(card, path("copy.img"), [&](const Progress& p) { seen.push_back(p); });
  ASSERT_TRUE(read.ok()) << read.error().message();
  EXPECT_EQ(read->image_size, kSize);
  EXPECT_EQ(read->bmap_file, path("copy.img.bmap"));
  EXPECT_GT(read->bytes_read, 8u << 20);   // the data file, at least
  EXPECT_LT(read->bytes_read, 24u << 20);  // not the free blocks of the 47 MiB root
  ASSERT_FALSE(seen.empty());
  EXPECT_EQ(seen.back().phase, "read");
  EXPECT_EQ(seen.back().done, seen.back().total);
  auto bmap = load_bmap(read->bmap_file);
  ASSERT_TRUE(bmap.ok()) << bmap.error().message();
  EXPECT_EQ(bmap->mapped_bytes(), read->bytes_read);
  // the image holds what the card holds: same filesystems, same files
  must_run({"e2fsck", "-fn", root_spec(path("copy.img"))});
  EXPECT_EQ(debugfs(path("copy.img"), "cat /etc/hostname"), "linaro-nano\n");
  EXPECT_EQ(must_run({"mtype", "-i", path("copy.img") + "@@1M", "::config.txt"}).out, "arm_64bit=1\n");
}

TEST_F(ImageWriter, WriteThenVerifyGivesTheSameBytes) {
  std::string card = make_card();
  auto written = write_to_file(card, path("out.img"));
  ASSERT_TRUE(written.ok()) << written.error().message();
  EXPECT_EQ(written->map_from, "the filesystems");
  EXPECT_EQ(written->read_back, "with O_DIRECT");  // the build folder is on a disk
  EXPECT_EQ(read_text(card), read_text(path("out.img")));
  auto verified = verify_image(card, path("out.img"), {});
  ASSERT_TRUE(verified.ok()) << verified.error().message();
  EXPECT_GE(verified->bytes_checked, 4u << 20);  // the data file, at least
}

TEST_F(ImageWriter, VerifyNamesTheByteThatDiffers) {
  std::string card = make_card();
  ASSERT_TRUE(read_image(card, path("copy.img"), {}).ok());
  ASSERT_TRUE(write_to_file(path("copy.img"), path("out.img")).ok());
  uint64_t offset = kRootStart + 1024 + 100;  // inside the root filesystem's superblock
  flip(path("out.img"), offset);
  auto verified = verify_image(path("copy.img"), path("out.img"), {});  // with checksums from copy.img.bmap
  ASSERT_FALSE(verified.ok());
  EXPECT_EQ(verified.error().message(),
            fmt::format("verify: {} differs from {} at byte {}", path("out.img"), path("copy.img"), offset));
  verified = verify_image(card, path("out.img"), {});  // byte for byte, no bmap
  ASSERT_FALSE(verified.ok());
  EXPECT_EQ(verified.error().message(), fmt::format("verify: {} differs from {} at byte {}", path("out.img"), card, offset));
}

TEST_F(ImageWriter, BmaptoolCopyAcceptsOurBmap) {
  std::string card = make_card();
  ASSERT_TRUE(read_image(card, path("copy.img"), {}).ok());
  auto r = must_run({"bmaptool", "copy", "--bmap", path("copy.img.bmap"), path("copy.img"), path("by-bmaptool.img")});
  EXPECT_EQ(r.err.find("ERROR"), std::string::npos) << r.err;
  EXPECT_EQ(read_text(path("by-bmaptool.img")), read_text(card));
}

TEST_F(ImageWriter, WritesWithABmapThatBmaptoolCreated) {
  std::string card = make_card();
  must_run({"bmaptool", "create", "-o", card + ".bmap", card});
  auto written = write_to_file(card, path("out.img"));
  ASSERT_TRUE(written.ok()) << written.error().message();
  EXPECT_EQ(written->map_from, card + ".bmap");
  EXPECT_EQ(read_text(path("out.img")), read_text(card));
}

TEST_F(ImageWriter, RefusesAnEditedBmap) {
  std::string card = make_card();
  ASSERT_TRUE(read_image(card, path("copy.img"), {}).ok());
  std::string bmap = read_text(path("copy.img.bmap"));
  bmap.replace(bmap.find("chksum=\"") + 8, 1, bmap[bmap.find("chksum=\"") + 8] == 'a' ? "b" : "a");
  testing::write_text(path("copy.img.bmap"), bmap);
  auto written = write_to_file(path("copy.img"), path("out.img"));
  ASSERT_FALSE(written.ok());
  EXPECT_EQ(written.error().message(),
            path("copy.img.bmap") + ": the bmap file's own checksum does not match: the file is corrupt or was edited");
}

TEST_F(ImageWriter, CatchesASourceThatDoesNotMatchItsBmap) {
  std::string card = make_card();
  ASSERT_TRUE(read_image(card, path("copy.img"), {}).ok());
  flip(path("copy.img"), kRootStart + 1024 + 100);  // the image rotted after its bmap was made
  auto written = write_to_file(path("copy.img"), path("out.img"));
  ASSERT_FALSE(written.ok());
  auto bmap = load_bmap(path("copy.img.bmap"));
  ASSERT_TRUE(bmap.ok());
  auto range = std::find_if(bmap->ranges.begin(), bmap->ranges.end(),
                            [&](const BmapRange& r) { return bmap->range_offset(r) + bmap->range_length(r) > kRootStart + 1124; });
  EXPECT_EQ(written.error().message(),
            fmt::format("verify: {}: bytes {}-{} do not match their sha256 in {}", path("copy.img"), bmap->range_offset(*range),
                        bmap->range_offset(*range) + bmap->range_length(*range) - 1, path("copy.img.bmap")));
  EXPECT_EQ(written.error().hint, "the image changed after its bmap was made: make a new bmap");
}

class CompressedImage : public ImageWriter, public ::testing::WithParamInterface<std::pair<std::string, std::string>> {};

TEST_P(CompressedImage, IsWrittenDirectlyWithOrWithoutBmap) {
  auto [suffix, program] = GetParam();
  std::string card = make_card("card.img", 1);
  must_run({program, "-1", "-k", "-q", card});
  std::string packed = card + suffix;
  auto written = write_to_file(packed, path("dense.img"));  // no bmap: every byte
  ASSERT_TRUE(written.ok()) << written.error().message();
  EXPECT_EQ(written->map_from, "every byte, no .bmap beside the compressed image");
  EXPECT_EQ(written->image_size, kSize);
  EXPECT_EQ(read_text(path("dense.img")), read_text(card));
  ASSERT_TRUE(verify_image(packed, path("dense.img"), {}).ok());

  ASSERT_TRUE(read_image(card, path("copy.img"), {}).ok());
  std::filesystem::rename(path("copy.img.bmap"), card + ".bmap");
  written = write_to_file(packed, path("mapped.img"));  // card.img.xz with card.img.bmap
  ASSERT_TRUE(written.ok()) << written.error().message();
  EXPECT_EQ(written->map_from, card + ".bmap");
  EXPECT_LT(written->bytes_written, kSize / 2);
  EXPECT_EQ(read_text(path("mapped.img")), read_text(card));
}

INSTANTIATE_TEST_SUITE_P(Formats, CompressedImage,
                         ::testing::Values(std::pair{std::string(".xz"), std::string("xz")},
                                           std::pair{std::string(".zst"), std::string("zstd")},
                                           std::pair{std::string(".gz"), std::string("gzip")}),
                         [](const auto& info) { return info.param.second; });

TEST_F(ImageWriter, ACorruptCompressedImageFails) {
  testing::write_text(path("bad.img.xz"), "this is not xz data");
  auto written = write_to_file(path("bad.img.xz"), path("out.img"));
  ASSERT_FALSE(written.ok());
  EXPECT_EQ(written.error().message(), path("bad.img.xz") + ": decompress: xz: " + path("bad.img.xz") + ": File format not recognized");
}

}  // namespace
}  // namespace beowulf::image

namespace beowulf::image {
namespace {

TEST_F(ImageWriter, FallsBackWhenTheTargetsFilesystemRefusesODirect) {
  std::string shm = fmt::format("/dev/shm/beowulf-image-test-{}.img", ::getpid());
  int probe = ::open(shm.c_str(), O_RDWR | O_CREAT | O_DIRECT, 0600);
  if (probe >= 0) {
    ::close(probe);
    std::filesystem::remove(shm);
    GTEST_SKIP() << "/dev/shm accepts O_DIRECT on this kernel";
  }
  std::string card = make_card();
  auto written = write_to_file(card, shm);
  std::filesystem::remove(shm);
  ASSERT_TRUE(written.ok()) << written.error().message();
  EXPECT_EQ(written->read_back,
            "through the page cache (dropped first): the filesystem of " + shm + " refuses O_DIRECT (Invalid argument)");
}

}  // namespace
}  // namespace beowulf::image
