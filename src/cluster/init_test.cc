#include "cluster/init.h"

#include <gtest/gtest.h>

namespace beowulf::cluster {
namespace {

const sys::InterfaceAddress kLoopback{"lo", "127.0.0.1", 8, true};
const sys::InterfaceAddress kEth{"eth0", "198.18.0.10", 24, false};
const sys::InterfaceAddress kWlan{"wlan0", "198.19.1.5", 24, false};

TEST(InitAddress, TakesTheOneNonLoopbackAddress) {
  EXPECT_EQ(choose_address({kLoopback, kEth}, "").value(), kEth);
  EXPECT_EQ(choose_address({kLoopback, kEth, kWlan}, "198.19.1.5").value(), kWlan);
}

TEST(InitAddress, ListsTheAddressesWhenThereAreSeveral) {
  auto r = choose_address({kLoopback, kEth, kWlan}, "");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().what, "this machine has several addresses: 198.18.0.10 (eth0), 198.19.1.5 (wlan0)");
  EXPECT_EQ(r.error().hint, "choose the cluster's with --address, e.g. beowulf init --address 198.18.0.10");
  EXPECT_EQ(r.error().kind, ErrorKind::bad_input);
}

TEST(InitAddress, RefusesAnAddressThatIsNotOurs) {
  auto r = choose_address({kLoopback, kEth}, "198.18.0.99");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().what, "--address 198.18.0.99 is not an address of this machine");
  EXPECT_EQ(r.error().hint, "its addresses: 198.18.0.10 (eth0)");
  EXPECT_EQ(choose_address({kLoopback}, "").error().what, "this machine has no network address but loopback");
}

}  // namespace
}  // namespace beowulf::cluster
