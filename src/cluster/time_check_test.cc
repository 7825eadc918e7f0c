#include "cluster/time_check.h"

#include <gtest/gtest.h>

namespace beowulf::cluster {
namespace {

std::vector<Node> nodes() {
  auto node = [](const char* name, const char* address, Role role) {
    return Node{.name = name, .address = parse_ipv4(address).value(), .user = "linaro", .slots = 1, .role = role};
  };
  return {node("linaro-nano", "198.18.0.10", Role::master), node("worker001", "198.18.0.11", Role::worker),
          node("worker002", "198.18.0.12", Role::worker)};
}

TEST(CheckClocks, NamesTheNodeFurthestOff) {
  std::map<std::string, ClockReading> r = {{"linaro-nano", {0.0, 0.001}},
                                           {"worker001", {-7.5, 0.1}},
                                           {"worker002", {312.44, 0.2}}};
  auto s = check_clocks(nodes(), r, std::chrono::seconds(5));
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().message(), "worker002 (198.18.0.12): its clock is 312.4 s ahead of the master's (more than 5 s)");
  EXPECT_EQ(s.error().hint, "beowulf time up");
  r["worker002"] = {0.3, 0.1};
  EXPECT_EQ(check_clocks(nodes(), r, std::chrono::seconds(5)).error().what,
            "its clock is 7.5 s behind the master's (more than 5 s)");
}

TEST(CheckClocks, OnlyWhatTheReadingProvesCounts) {
  // 6 s off, but read with a 2 s round trip: within 5 s is not disproven.
  std::map<std::string, ClockReading> r = {{"worker001", {6.0, 1.5}}};
  EXPECT_TRUE(check_clocks(nodes(), r, std::chrono::seconds(5)).ok());
}

}  // namespace
}  // namespace beowulf::cluster
