// A sim of many boards gets room in the machine's ARP table, and gives it back at down.

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "sys/atomic_file.h"
#include "sim/neighbour_table.h"
#include "sim/sim.h"
#include "sim/testing.h"

namespace beowulf::sim {
namespace {

long hard_limit() { return std::stol(*sys::read_file("/proc/sys/net/ipv4/neigh/default/gc_thresh3")); }

TEST(NeighbourTableOnTheMachine, TwentyTwoWorkersRaiseTheArpLimitAndDownPutsItBack) {
  if (geteuid() != 0) GTEST_SKIP() << "cluster tests need root: a sim is made of network namespaces and mounts";
  long before = hard_limit();
  auto options = unique_options({.workers = 22}, "n");
  auto sim = Sim::up(options);
  ASSERT_TRUE(sim.ok()) << sim.error().message();
  // 22 workers, the master and the bridge: 24 namespaces, 576 entries, past half of Debian's 1024.
  long during = hard_limit();
  bool kept = std::filesystem::exists("/run/beowulf-sim/neighbour-table");
  auto saved = sys::read_file("/run/beowulf-sim/neighbour-table");
  ASSERT_TRUE(sim->down().ok());
  if (before >= 2 * 24 * 24) GTEST_SKIP() << "this machine's ARP table has room already: " << before;
  EXPECT_GE(during, before + 24 * 24);
  EXPECT_TRUE(kept);
  EXPECT_EQ(saved.ok() ? saved->substr(saved->find(' ') + 1) : "", std::to_string(before) + "\n");
  EXPECT_EQ(hard_limit(), before);
  EXPECT_FALSE(std::filesystem::exists("/run/beowulf-sim/neighbour-table"));
}

}  // namespace
}  // namespace beowulf::sim
