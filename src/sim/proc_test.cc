#include "sim/proc.h"

#include <gtest/gtest.h>

#include <unistd.h>

#include <algorithm>

namespace beowulf::sim {
namespace {

// Taken from a node: sshd on 198.18.9.10:22 and 127.0.0.1:22, and an outgoing connection.
const char* kTable =
    "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n"
    "   0: 0A0912C6:0016 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 19942 1\n"
    "   1: 0100007F:0016 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 19943 1\n"
    "   2: 0A0912C6:D431 0B0912C6:0016 01 00000000:00000000 00:00000000 00000000  1000        0 19990 1\n";

TEST(Proc, FindsAListeningSocketByAddressAndPort) {
  EXPECT_TRUE(listening_in(kTable, "198.18.9.10", 22));
  EXPECT_TRUE(listening_in(kTable, "127.0.0.1", 22));
  EXPECT_FALSE(listening_in(kTable, "198.18.9.11", 22));  // only connected to, not listening
  EXPECT_FALSE(listening_in(kTable, "198.18.9.10", 2222));
  EXPECT_FALSE(listening_in("", "198.18.9.10", 22));
}

TEST(Proc, AWildcardListenerCountsForEveryAddress) {
  const char* any = "header\n   0: 00000000:0016 00000000:0000 0A 0 0 0 0 0 1\n";
  EXPECT_TRUE(listening_in(any, "198.18.0.11", 22));
}

TEST(Proc, RecognisesOurselvesAndNotAReusedPid) {
  auto self = record_of(getpid());
  ASSERT_TRUE(self.has_value());
  EXPECT_TRUE(still_running(*self));
  EXPECT_FALSE(still_running({self->pid, self->start_time + 1}));
  EXPECT_FALSE(still_running({0, 0}));
}

TEST(Proc, FindsTheProcessesOfANetworkNamespace) {
  // Our own namespace, named by our own /proc entry: we are in it; a missing path names none.
  auto pids = pids_in_netns({"/proc/self/ns/net"});
  EXPECT_NE(std::find(pids.begin(), pids.end(), getpid()), pids.end());
  EXPECT_TRUE(pids_in_netns({"/run/netns/beowulf-no-such-namespace"}).empty());
}

}  // namespace
}  // namespace beowulf::sim
