#include "remote/kept_output.h"

#include <gtest/gtest.h>

namespace beowulf::remote {
namespace {

TEST(KeptOutput, KeepsLinesUpToTheCapThenSaysItWasCut) {
  std::string kept;
  keep_line(kept, "12345", 12);
  keep_line(kept, "12345", 12);
  EXPECT_EQ(kept, "12345\n12345\n");
  keep_line(kept, "x", 12);
  keep_line(kept, "y", 12);
  EXPECT_EQ(kept, "12345\n12345\n[beowulf: output cut: at most 12 bytes are kept per node]\n");
}

TEST(KeptOutput, TheDefaultCapIsOneMebibyte) {
  std::string kept;
  std::string line(1023, 'a');
  for (int i = 0; i < 1025; ++i) keep_line(kept, line);
  EXPECT_EQ(kept.size(), 1024u * 1024u + cut_note(kMaxKept).size());
  EXPECT_TRUE(kept.ends_with("\n[beowulf: output cut: at most 1 MiB is kept per node]\n"));
}

}  // namespace
}  // namespace beowulf::remote
