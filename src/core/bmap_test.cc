#include "core/bmap.h"

#include <gtest/gtest.h>

namespace beowulf {
namespace {

// As `bmaptool create` (3.6) writes it, comments shortened.
constexpr const char* kMadeByBmaptool = R"(<?xml version="1.0" ?>
<!-- This file contains the block map for an image file <ImageSize> 1 </ImageSize> -->
<bmap version="2.0">
    <!-- Image size in bytes: 8.0 MiB -->
    <ImageSize> 8388608 </ImageSize>
    <BlockSize> 4096 </BlockSize>
    <BlocksCount> 2048 </BlocksCount>
    <MappedBlocksCount> 3    </MappedBlocksCount>
    <ChecksumType> sha256 </ChecksumType>
    <BmapFileChecksum> 96fada62fd367386082ff4fbc96f438c81ca959045f5799c71cdff7de9e7677b </BmapFileChecksum>
    <BlockMap>
        <Range chksum="384f1426310763bacdec8d897655ca1caed0def6180f645bfce1d6a7a0288604"> 24 </Range>
        <Range chksum="484f1426310763bacdec8d897655ca1caed0def6180f645bfce1d6a7a0288604"> 100-101 </Range>
    </BlockMap>
</bmap>
)";

TEST(Bmap, ParsesWhatBmaptoolCreates) {
  auto bmap = parse_bmap(kMadeByBmaptool);
  ASSERT_TRUE(bmap.ok()) << bmap.error().message();
  EXPECT_EQ(bmap->image_size, 8388608u);
  EXPECT_EQ(bmap->block_size, 4096u);
  EXPECT_EQ(bmap->checksum_type, "sha256");
  EXPECT_EQ(bmap->file_checksum, "96fada62fd367386082ff4fbc96f438c81ca959045f5799c71cdff7de9e7677b");
  ASSERT_EQ(bmap->ranges.size(), 2u);
  EXPECT_EQ(bmap->ranges[0], (BmapRange{24, 24, "384f1426310763bacdec8d897655ca1caed0def6180f645bfce1d6a7a0288604"}));
  EXPECT_EQ(bmap->ranges[1].first, 100u);
  EXPECT_EQ(bmap->ranges[1].last, 101u);
  EXPECT_EQ(bmap->mapped_bytes(), 3u * 4096);
}

TEST(Bmap, FormatThenParseGivesTheSameMap) {
  Bmap bmap{.image_size = 10000, .block_size = 4096};
  bmap.ranges = {{0, 0, std::string(64, 'a')}, {2, 2, std::string(64, 'b')}};
  auto again = parse_bmap(format_bmap(bmap, std::string(64, '0')));
  ASSERT_TRUE(again.ok()) << again.error().message();
  EXPECT_EQ(again->ranges, bmap.ranges);
  EXPECT_EQ(again->image_size, 10000u);
  EXPECT_EQ(again->blocks_count(), 3u);
  EXPECT_EQ(again->range_length(again->ranges[1]), 10000u - 8192);  // the last block is clipped
}

TEST(Bmap, ZeroFileChecksumBlanksOnlyThatValue) {
  std::string zeroed = zero_file_checksum(kMadeByBmaptool);
  EXPECT_NE(zeroed.find("<BmapFileChecksum> " + std::string(64, '0') + " </BmapFileChecksum>"), std::string::npos);
  EXPECT_EQ(zeroed.size(), std::string(kMadeByBmaptool).size());
  EXPECT_NE(zeroed.find("384f1426"), std::string::npos);
}

TEST(Bmap, RefusesWhatIsNotABmap) {
  EXPECT_EQ(parse_bmap("hello").error().message(), "bmap: no <bmap> element: not a bmap file");
  EXPECT_EQ(parse_bmap("<bmap version=\"3.0\">").error().message(),
            "bmap line 1: bmap version '3.0' is not supported (1.x and 2.x are)");
}

TEST(Bmap, NamesTheLineOfABadRange) {
  std::string text = kMadeByBmaptool;
  text.replace(text.find("100-101"), 7, "101-100");
  EXPECT_EQ(parse_bmap(text).error().message(), "bmap line 13: range 101-100 ends before it starts");
  text = kMadeByBmaptool;
  text.replace(text.find("100-101"), 7, "2047-2048");
  EXPECT_EQ(parse_bmap(text).error().message(), "bmap line 13: range 2047-2048 goes past the image's 2048 blocks");
  text = kMadeByBmaptool;
  text.replace(text.find("100-101"), 7, "20-21");
  EXPECT_EQ(parse_bmap(text).error().message(), "bmap line 13: range 20-21 overlaps or precedes the one before it");
}

TEST(Bmap, RefusesCountsThatDisagree) {
  std::string text = kMadeByBmaptool;
  text.replace(text.find("<MappedBlocksCount> 3"), 21, "<MappedBlocksCount> 4");
  EXPECT_EQ(parse_bmap(text).error().message(), "bmap: MappedBlocksCount 4 but the ranges hold 3 blocks");
  text = kMadeByBmaptool;
  text.replace(text.find("8388608"), 7, "83886x8");
  EXPECT_EQ(parse_bmap(text).error().message(), "bmap line 5: ImageSize '83886x8' is not a number");
}

TEST(Bmap, RefusesABadChecksum) {
  std::string text = kMadeByBmaptool;
  text.replace(text.find("384f"), 4, "zz4f");
  EXPECT_EQ(parse_bmap(text).error().message(),
            "bmap line 12: 'zz4f1426310763bacdec8d897655ca1caed0def6180f645bfce1d6a7a0288604' is not a sha256 checksum");
}

}  // namespace
}  // namespace beowulf
