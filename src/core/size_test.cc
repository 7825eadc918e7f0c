#include "core/size.h"

#include <gtest/gtest.h>

namespace beowulf {
namespace {

TEST(Size, BytesAndBinaryUnits) {
  EXPECT_EQ(parse_size("1000000").value(), 1000000u);
  EXPECT_EQ(parse_size("100B").value(), 100u);
  EXPECT_EQ(parse_size("512K").value(), 512u * 1024);
  EXPECT_EQ(parse_size("7600M").value(), 7600ull << 20);
  EXPECT_EQ(parse_size("16G").value(), 16ull << 30);
  EXPECT_EQ(parse_size("16gib").value(), 16ull << 30);
  EXPECT_EQ(parse_size("2TB").value(), 2ull << 40);
  EXPECT_EQ(parse_size("16777215T").value(), 16777215ull << 40);
}

TEST(Size, RefusesWhatIsNotASize) {
  for (const char* text : {"", "lots", "G", "16X", "16GG", "16 G", "-1", "16Gx", "1.5G"}) {
    auto r = parse_size(text);
    ASSERT_FALSE(r.ok()) << text;
    EXPECT_EQ(r.error().what, std::string("--size '") + text + "' is not a size");
    EXPECT_EQ(r.error().hint, "write it like 16G, 7600M or a number of bytes");
    EXPECT_EQ(r.error().kind, ErrorKind::bad_input);
  }
}

TEST(Size, RefusesWhatDoesNotFitInsteadOfWrappingOrAborting) {
  // 16777216T is 2^64 bytes: it wrapped round to 0; 20 digits threw out_of_range.
  EXPECT_EQ(parse_size("16777216T").error().what, "--size '16777216T' is too large: at most 18446744073709551615 bytes");
  EXPECT_EQ(parse_size("99999999999999999999").error().what,
            "--size '99999999999999999999' is too large: at most 18446744073709551615 bytes");
  EXPECT_EQ(parse_size("18446744073709551615").value(), 18446744073709551615ull);
  EXPECT_FALSE(parse_size("18446744073709551616").ok());
  EXPECT_FALSE(parse_size("17179869184G").ok());
}

}  // namespace
}  // namespace beowulf
