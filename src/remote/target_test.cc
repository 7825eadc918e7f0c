#include "remote/target.h"

#include <gtest/gtest.h>

namespace beowulf::remote {
namespace {

TEST(Target, IsMadeOnceFromTheInventorysNode) {
  Target worker = target_of(Node{.name = "worker002", .address = *parse_ipv4("198.18.0.12"), .user = "linaro"});
  EXPECT_EQ(worker, (Target{"worker002", "198.18.0.12", "linaro", 22, false}));
  EXPECT_EQ(worker.label(), "worker002 (198.18.0.12)");
}

TEST(Target, TheMasterIsThisMachine) {
  EXPECT_TRUE(target_of(Node{.name = "master", .address = *parse_ipv4("198.18.0.10"), .role = Role::master}).local);
}

}  // namespace
}  // namespace beowulf::remote
