#include "beowulf/taskfarm/layout.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace beowulf {
namespace {

struct Raw {
  std::int32_t a, b;
};
struct Raw64 {
  std::int64_t a;
};
struct Members {
  char c;
  double d;
};

TEST(Layout, DescribesTheWireFormNotTheMachine) {
  EXPECT_EQ(detail::describe<long>(), "i8") << "8 bytes on the wire on armhf too";
  // size_t is unsigned long on 64-bit Linux but unsigned int on 32-bit boards: its 4 bytes
  // there show in the fingerprint, so a mixed cluster is refused at the handshake, not misread.
  EXPECT_EQ(detail::describe<std::size_t>(), sizeof(std::size_t) == 8 ? "u8" : "u4");
  EXPECT_EQ((detail::describe<std::vector<std::pair<int, std::string>>>()), "vec(pair(i4,str))");
  EXPECT_EQ(detail::describe<Members>(), std::string(typeid(Members).name()) + "{c1,f8,}");
  EXPECT_EQ(detail::describe<Raw>(), "raw8:" + std::string(typeid(Raw).name()));
}

TEST(Layout, TheFingerprintChangesWithTheTypes) {
  using PairResult = std::pair<double, double>;
  EXPECT_NE((layout_fingerprint<int, PairResult>()), (layout_fingerprint<int, double>()));
  EXPECT_NE((layout_fingerprint<Raw, int>()), (layout_fingerprint<Raw64, int>()));
  EXPECT_NE((layout_fingerprint<int, double>()), (layout_fingerprint<double, int>()));
  EXPECT_EQ((layout_fingerprint<long, double>()), (layout_fingerprint<long long, double>()));
}

}  // namespace
}  // namespace beowulf
