#include "core/printable.h"

#include <gtest/gtest.h>

namespace beowulf {
namespace {

TEST(Printable, MakesEscapeSequencesInert) {
  EXPECT_EQ(printable("worker001"), "worker001");
  EXPECT_EQ(printable("\x1b]0;pwned\x07worker\x1b[2J"), "?]0;pwned?worker?[2J");
  EXPECT_EQ(printable("a\rb\bc\x7f"), "a?b?c?");
  EXPECT_EQ(printable("line 1\n\tline 2"), "line 1\n\tline 2");
  EXPECT_EQ(printable("\xc2\x9b" "31m"), "?31m");         // U+009B, CSI
  EXPECT_EQ(printable("temp 45\xc2\xb0" "C é"), "temp 45\xc2\xb0" "C é");  // other UTF-8 stays
}

}  // namespace
}  // namespace beowulf
