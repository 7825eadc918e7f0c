#include "core/address.h"

#include <fmt/core.h>
#include <gtest/gtest.h>

namespace beowulf {
namespace {

Ipv4 ip(std::string_view text) { return parse_ipv4(text).value(); }

std::string refusal(std::string_view text, int prefix = kDefaultPrefix) {
  auto address = parse_node_address(text, prefix);
  return address ? "accepted" : address.error().what;
}

TEST(Ipv4, ParsesAndFormatsADottedQuad) {
  EXPECT_EQ(ip("198.18.0.11").value, 0xC612000Bu);
  EXPECT_EQ(ip("198.18.0.11").str(), "198.18.0.11");
  EXPECT_EQ(ip("0.0.0.0").str(), "0.0.0.0");
  EXPECT_EQ(ip("255.255.255.255").value, 0xFFFFFFFFu);
  EXPECT_LT(ip("198.18.0.9"), ip("198.18.0.10"));
}

TEST(Ipv4, RefusesWhatIsNotADottedQuad) {
  for (const char* text : {"", "198.18.0", "198.18.0.1.2", "198.18.0.300", "198.18.0.-1", "198.18..1",
                           "198.18.0.1 ", " 198.18.0.1", "198.018.0.1", "198.18.0.1x", "worker001", "1.2.3.4/24",
                           "1234.1.1.1", "198.18.0.", ".198.18.0"}) {
    auto address = parse_ipv4(text);
    ASSERT_FALSE(address) << text;
    EXPECT_EQ(address.error().what, fmt::format("'{}' is not an IPv4 address", text));
  }
  EXPECT_EQ(parse_ipv4("198.18.0.300").error().hint,
            "an IPv4 address is four numbers from 0 to 255 separated by dots, like 198.18.0.11");
  EXPECT_EQ(parse_ipv4("1.2.3.400").error().kind, ErrorKind::bad_input);
}

TEST(Subnet, ParsesTestsMembershipAndFormats) {
  auto subnet = parse_subnet("198.18.0.0/24");
  ASSERT_TRUE(subnet);
  EXPECT_EQ(subnet->str(), "198.18.0.0/24");
  EXPECT_EQ(subnet->broadcast().str(), "198.18.0.255");
  EXPECT_TRUE(subnet->contains(ip("198.18.0.11")));
  EXPECT_FALSE(subnet->contains(ip("198.18.1.11")));
  EXPECT_TRUE(parse_subnet("0.0.0.0/0")->contains(ip("8.8.8.8")));
  EXPECT_EQ(parse_subnet("198.18.0.0/15")->broadcast().str(), "198.19.255.255");
  EXPECT_EQ(parse_subnet("198.18.0.7/32")->str(), "198.18.0.7/32");
  EXPECT_EQ(subnet_of(ip("198.18.3.11"), 16).str(), "198.18.0.0/16");
}

TEST(Subnet, RefusesAMalformedSubnetWithTheLikelyOne) {
  for (const char* text : {"198.18.0.0", "198.18.0.0/33", "198.18.0.0/-1", "198.18.0.0/", "198.18.0/24",
                           "198.18.0.0/024", "198.18.0.0/2 4"}) {
    auto subnet = parse_subnet(text);
    ASSERT_FALSE(subnet) << text;
    EXPECT_EQ(subnet.error().what, fmt::format("'{}' is not a subnet", text));
    EXPECT_EQ(subnet.error().hint, "a subnet is an address and a prefix length from 0 to 32, like 198.18.0.0/24");
  }
  auto subnet = parse_subnet("198.18.0.5/24");
  ASSERT_FALSE(subnet);
  EXPECT_EQ(subnet.error().hint, "198.18.0.5 has host bits set for a /24: did you mean 198.18.0.0/24?");
}

TEST(NodeAddress, AcceptsAnOrdinaryHostAddress) {
  EXPECT_EQ(refusal("198.18.0.11"), "accepted");
  EXPECT_EQ(refusal("192.168.1.254"), "accepted");
  EXPECT_EQ(refusal("198.18.0.255", 16), "accepted");  // in a /16, .255 is an ordinary host
  EXPECT_EQ(refusal("198.18.1.0", 16), "accepted");
}

TEST(NodeAddress, RefusesTheBroadcastAddressAsTheRecipeWarns) {
  EXPECT_EQ(refusal("198.18.0.255"), "198.18.0.255 is the broadcast address of 198.18.0.0/24: no host can use it");
  EXPECT_EQ(parse_node_address("198.18.0.255").error().hint, "give the node an address from 198.18.0.1 to 198.18.0.254");
  EXPECT_EQ(refusal("198.19.255.255", 15), "198.19.255.255 is the broadcast address of 198.18.0.0/15: no host can use it");
}

TEST(NodeAddress, RefusesTheNetworkAddress) {
  EXPECT_EQ(refusal("192.168.1.0"), "192.168.1.0 is the network address of 192.168.1.0/24: no host can use it");
}

TEST(NodeAddress, RefusesUnspecifiedLoopbackAndMulticast) {
  EXPECT_EQ(refusal("0.0.0.0"), "0.0.0.0 is the unspecified address: no host can use it");
  EXPECT_EQ(refusal("0.1.2.3"), "0.1.2.3 is in 0.0.0.0/8 (\"this network\"): no host can use it");
  EXPECT_EQ(refusal("127.0.1.1"), "127.0.1.1 is a loopback address (127.0.0.0/8): other nodes cannot reach it");
  EXPECT_EQ(refusal("224.0.0.1"), "224.0.0.1 is a multicast address (224.0.0.0/4): no host can use it as its own");
  EXPECT_EQ(refusal("198.18.0.300"), "'198.18.0.300' is not an IPv4 address");
}

TEST(NodeAddress, PointToPointSubnetsHaveNoNetworkOrBroadcastAddress) {
  EXPECT_TRUE(check_node_address(ip("198.18.0.0"), parse_subnet("198.18.0.0/31").value()));
  EXPECT_TRUE(check_node_address(ip("198.18.0.1"), parse_subnet("198.18.0.0/31").value()));
  EXPECT_TRUE(check_node_address(ip("198.18.0.7"), parse_subnet("198.18.0.7/32").value()));
}

TEST(HostName, AcceptsWhatHostnameTakes) {
  EXPECT_TRUE(is_host_name("worker001"));
  EXPECT_TRUE(is_host_name("linaro-nano"));
  EXPECT_TRUE(is_host_name(std::string(63, 'a')));
  for (const char* name : {"", "-worker", "worker-", "worker_1", "worker 1", "node.lab"}) EXPECT_FALSE(is_host_name(name)) << name;
  EXPECT_FALSE(is_host_name(std::string(64, 'a')));
  EXPECT_TRUE(is_dns_name("node1.lab"));
  EXPECT_TRUE(is_dns_name("worker001"));
  for (const char* name : {"", ".lab", "node1.", "node1..lab", "node_1.lab"}) EXPECT_FALSE(is_dns_name(name)) << name;
}

}  // namespace
}  // namespace beowulf
