#include "core/managed_block.h"

#include <gtest/gtest.h>

namespace beowulf {
namespace {

const std::vector<std::string> kHosts = {"198.18.0.10 master", "198.18.0.11 worker001"};

std::string put(std::string_view text, const std::vector<std::string>& lines = kHosts) {
  return put_block(text, lines, "/etc/hosts").value();
}

std::string refusal(std::string_view text) {
  auto result = put_block(text, kHosts, "/etc/hosts");
  if (result) return "accepted";
  EXPECT_EQ(result.error().hint, "beowulf keeps one block between '# BEGIN beowulf' and '# END beowulf': fix the markers by hand");
  // Every operation refuses the same broken text with the same message.
  EXPECT_EQ(remove_block(text, "/etc/hosts").error().what, result.error().what);
  EXPECT_EQ(read_block(text, "/etc/hosts").error().what, result.error().what);
  return result.error().what;
}

constexpr const char* kStock = "127.0.0.1\tlocalhost\n127.0.1.1\tlinaro-nano\n";

TEST(ManagedBlock, AddsABlockAtTheEnd) {
  EXPECT_EQ(put(kStock), std::string(kStock) +
                             "# BEGIN beowulf\n198.18.0.10 master\n198.18.0.11 worker001\n# END beowulf\n");
  EXPECT_EQ(put(""), "# BEGIN beowulf\n198.18.0.10 master\n198.18.0.11 worker001\n# END beowulf\n");
  EXPECT_EQ(put("", {}), "# BEGIN beowulf\n# END beowulf\n");
}

TEST(ManagedBlock, EndsAnUnterminatedLastLineBeforeAddingTheBlock) {
  EXPECT_EQ(put("127.0.0.1 localhost"), "127.0.0.1 localhost\n# BEGIN beowulf\n198.18.0.10 master\n198.18.0.11 worker001\n# END beowulf\n");
}

TEST(ManagedBlock, ReplacesTheBlockAndNothingElse) {
  std::string text = "# keep me  \n127.0.0.1 localhost\r\n# BEGIN beowulf\nold line\n# END beowulf\n\n::1 ip6-localhost\n";
  EXPECT_EQ(put(text), "# keep me  \n127.0.0.1 localhost\r\n# BEGIN beowulf\n198.18.0.10 master\n198.18.0.11 worker001\n"
                       "# END beowulf\n\n::1 ip6-localhost\n");
  EXPECT_EQ(put(text, {}), "# keep me  \n127.0.0.1 localhost\r\n# BEGIN beowulf\n# END beowulf\n\n::1 ip6-localhost\n");
}

TEST(ManagedBlock, KeepsAMissingFinalNewlineAfterTheBlock) {
  EXPECT_EQ(put("a\n# BEGIN beowulf\nold\n# END beowulf"),
            "a\n# BEGIN beowulf\n198.18.0.10 master\n198.18.0.11 worker001\n# END beowulf");
}

TEST(ManagedBlock, ASecondApplicationChangesNoByte) {
  for (std::string text : {std::string(kStock), std::string("x"), std::string(), std::string("a\n# BEGIN beowulf\n# END beowulf")}) {
    std::string once = put(text);
    EXPECT_EQ(put(once), once) << text;
    EXPECT_EQ(put(put(once, {"other"})), once) << text;
  }
}

TEST(ManagedBlock, AcceptsMarkersWithTrailingBlanksAndCarriageReturns) {
  std::string text = "a\r\n# BEGIN beowulf \r\nold\r\n# END beowulf\t\r\nb\r\n";
  EXPECT_EQ(put(text, {"new"}), "a\r\n# BEGIN beowulf\nnew\n# END beowulf\nb\r\n");
  EXPECT_EQ(refusal("  # BEGIN beowulf\n# END beowulf\n"), "/etc/hosts:2: '# END beowulf' without '# BEGIN beowulf' before it");
}

TEST(ManagedBlock, RemovesTheBlockOnly) {
  std::string with = put(kStock);
  EXPECT_EQ(remove_block(with, "/etc/hosts").value(), kStock);
  EXPECT_EQ(remove_block(kStock, "/etc/hosts").value(), kStock);
  EXPECT_EQ(remove_block("a\n# BEGIN beowulf\nx\n# END beowulf\nb", "f").value(), "a\nb");
  EXPECT_EQ(remove_block("a\n# BEGIN beowulf\nx\n# END beowulf", "f").value(), "a\n");
}

TEST(ManagedBlock, ReadsTheBlocksLines) {
  EXPECT_EQ(read_block(kStock, "f").value(), std::nullopt);
  EXPECT_EQ(read_block(put(kStock), "f").value(), kHosts);
  EXPECT_EQ(read_block(put(kStock, {}), "f").value(), std::vector<std::string>{});
  EXPECT_EQ(read_block("# BEGIN beowulf\nx\r\n# END beowulf", "f").value(), std::vector<std::string>{"x\r"});
}

TEST(ManagedBlock, RefusesABrokenBlockWithItsLine) {
  EXPECT_EQ(refusal("a\n# BEGIN beowulf\nb\n"), "/etc/hosts:2: '# BEGIN beowulf' without '# END beowulf'");
  EXPECT_EQ(refusal("a\nb\n# END beowulf\n"), "/etc/hosts:3: '# END beowulf' without '# BEGIN beowulf' before it");
  EXPECT_EQ(refusal("# BEGIN beowulf\na\n# BEGIN beowulf\n# END beowulf\n"),
            "/etc/hosts:3: a second '# BEGIN beowulf' (the one on line 1 has no '# END beowulf')");
  EXPECT_EQ(refusal("# BEGIN beowulf\n# END beowulf\nx\n# BEGIN beowulf\n# END beowulf\n"),
            "/etc/hosts:4: a second beowulf block (the first is on lines 1-2)");
  EXPECT_EQ(refusal("# BEGIN beowulf\n# END beowulf\n# END beowulf\n"),
            "/etc/hosts:3: '# END beowulf' without '# BEGIN beowulf' before it");
}

TEST(ManagedBlock, RefusesLinesThatWouldBreakTheBlock) {
  auto result = put_block("", {"a\nb"}, "f");
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().what, "'a\nb' cannot be a line of the beowulf block");
  EXPECT_FALSE(put_block("", {"# END beowulf"}, "f"));
}

}  // namespace
}  // namespace beowulf
