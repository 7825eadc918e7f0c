#include "sys/interfaces.h"

#include <gtest/gtest.h>

namespace beowulf::sys {
namespace {

TEST(Interfaces, ListsTheLoopbackAddress) {
  auto addresses = ipv4_addresses();
  ASSERT_TRUE(addresses.ok());
  bool found = false;
  for (const auto& a : *addresses) {
    if (a.address == "127.0.0.1") {
      found = true;
      EXPECT_TRUE(a.loopback);
      EXPECT_EQ(a.prefix, 8);
    } else {
      EXPECT_GE(a.prefix, 0);
      EXPECT_LE(a.prefix, 32);
    }
  }
  EXPECT_TRUE(found);
}

}  // namespace
}  // namespace beowulf::sys
