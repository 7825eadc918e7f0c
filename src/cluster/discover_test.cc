#include "cluster/discover.h"

#include <gtest/gtest.h>

namespace beowulf::cluster {
namespace {

const std::vector<sys::InterfaceAddress> kInterfaces = {
    {"lo", "127.0.0.1", 8, true}, {"eth0", "198.18.0.10", 24, false}, {"eth1", "198.19.0.1", 16, false}};

Subnet subnet(const char* text) { return parse_subnet(text).value(); }

TEST(DiscoverSubnet, AllowsTheMastersOwnSubnet) {
  EXPECT_TRUE(check_probe_subnet(subnet("198.18.0.0/24"), kInterfaces).ok());
  EXPECT_TRUE(check_probe_subnet(subnet("198.18.0.0/28"), kInterfaces).ok());
  EXPECT_TRUE(check_probe_subnet(subnet("198.19.0.0/16"), kInterfaces).ok());
}

TEST(DiscoverSubnet, RefusesAnotherNetwork) {
  auto s = check_probe_subnet(subnet("198.18.1.0/24"), kInterfaces);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().what, "198.18.1.0/24 is not within this machine's own subnet (198.18.0.0/24, 198.19.0.0/16)");
  EXPECT_EQ(s.error().hint, "discover probes only the master's own subnet");
  EXPECT_FALSE(check_probe_subnet(subnet("198.18.0.0/16"), kInterfaces).ok()) << "wider than eth0's /24";
  EXPECT_FALSE(check_probe_subnet(subnet("127.0.0.0/24"), kInterfaces).ok());
}

TEST(DiscoverSubnet, RefusesMoreThanASlash16) {
  auto s = check_probe_subnet(subnet("198.0.0.0/8"), kInterfaces);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().what, "198.0.0.0/8 is too large to probe (16777216 addresses)");
  EXPECT_EQ(s.error().kind, ErrorKind::bad_input);
}

}  // namespace
}  // namespace beowulf::cluster
