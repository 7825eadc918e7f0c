#include "sim/subnet.h"

#include <gtest/gtest.h>

namespace beowulf::sim {
namespace {

TEST(Subnet, DefaultNetworkGivesMasterTenAndWorkersFromEleven) {
  auto subnet = parse_subnet("198.18.0.0/24");
  ASSERT_TRUE(subnet.ok()) << subnet.error().message();
  auto addresses = node_addresses(*subnet, 3);
  ASSERT_TRUE(addresses.ok());
  EXPECT_EQ(*addresses, (std::vector<std::string>{"198.18.0.10", "198.18.0.11", "198.18.0.12", "198.18.0.13"}));
  EXPECT_EQ(node_labels(3), (std::vector<std::string>{"master", "node1", "node2", "node3"}));
  EXPECT_EQ(subnet->text(), "198.18.0.0/24");
}

TEST(Subnet, AcceptsTheUpperHalfOfTheBenchmarkRange) {
  auto subnet = parse_subnet("198.19.255.0/24");
  ASSERT_TRUE(subnet.ok());
  EXPECT_EQ(subnet->address(10), "198.19.255.10");
}

TEST(Subnet, RefusesNetworksOutsideTheBenchmarkRange) {
  for (const char* cidr : {"192.168.1.0/24", "10.0.0.0/24", "198.20.0.0/24", "198.17.255.0/24"}) {
    auto subnet = parse_subnet(cidr);
    ASSERT_FALSE(subnet.ok()) << cidr;
    EXPECT_EQ(subnet.error().what,
              std::string("--subnet ") + cidr + ": outside 198.18.0.0/15, the only range the virtual cluster may use");
    EXPECT_EQ(subnet.error().kind, ErrorKind::bad_input);
  }
}

TEST(Subnet, RefusesAPrefixThatReachesOutsideTheRange) {
  auto subnet = parse_subnet("198.18.0.0/14");
  ASSERT_FALSE(subnet.ok());
  EXPECT_EQ(subnet.error().what, "--subnet 198.18.0.0/14: the prefix must be between /16 and /29");
}

TEST(Subnet, RefusesMalformedInputAndHostBits) {
  EXPECT_EQ(parse_subnet("198.18.0.0").error().what, "--subnet 198.18.0.0: not a network in CIDR form (address/prefix)");
  EXPECT_EQ(parse_subnet("198.18.0/24").error().what, "--subnet 198.18.0/24: not a network in CIDR form (address/prefix)");
  EXPECT_EQ(parse_subnet("198.18.0.0/2x").error().what, "--subnet 198.18.0.0/2x: not a network in CIDR form (address/prefix)");
  EXPECT_EQ(parse_subnet("198.18.0.5/24").error().what, "--subnet 198.18.0.5/24: host bits are set (the network is 198.18.0.0/24)");
}

TEST(Subnet, RefusesMoreWorkersThanTheSubnetHolds) {
  auto subnet = parse_subnet("198.18.0.0/24");
  ASSERT_TRUE(subnet.ok());
  EXPECT_TRUE(node_addresses(*subnet, 244).ok());  // .10 .. .254
  auto too_many = node_addresses(*subnet, 245);
  ASSERT_FALSE(too_many.ok());
  EXPECT_EQ(too_many.error().what, "--workers 245: 198.18.0.0/24 has room for 244 workers (addresses from .11 up)");
  auto wide = parse_subnet("198.18.0.0/22");
  ASSERT_TRUE(wide.ok());
  auto many = node_addresses(*wide, 300);
  ASSERT_TRUE(many.ok());
  EXPECT_EQ(many->back(), "198.18.1.54");
}

}  // namespace
}  // namespace beowulf::sim
