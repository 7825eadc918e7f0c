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
  EXPECT_EQ(detail::describe<std::size_t>(), "u8");
  EXPECT_EQ((detail::describe<std::vector<std::pair<int, std::string>>>()), "vec(pair(i4,str))");
  EXPECT_EQ(detail::describe<Members>(), std::string(typeid(Members).name()) + "{i1,f8,}");
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
