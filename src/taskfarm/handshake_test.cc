#include "beowulf/taskfarm/handshake.h"

#include <gtest/gtest.h>

#include <vector>

namespace beowulf::detail {
namespace {

TEST(Handshake, RanksThatAgreeSayNothing) {
  std::vector<RankLayout> ranks(4, RankLayout{.layout = 0x1234, .little_endian = true, .threads = 2});
  ranks[2].threads = 4;  // thread counts may differ
  EXPECT_EQ(layout_mismatch(ranks), "");
}

TEST(Handshake, TheRanksThatDifferAreNamed) {
  std::vector<RankLayout> ranks(4, RankLayout{.layout = 0x1234, .little_endian = true});
  ranks[1].layout = 0xabcd;
  ranks[3].little_endian = false;
  EXPECT_EQ(layout_mismatch(ranks),
            "beowulf::TaskFarm: ranks 1, 3 encode the task and result types differently from rank 0 "
            "(layout 0000000000001234, little-endian; rank 1: layout 000000000000abcd, little-endian): "
            "every rank stops. Build every rank from the same sources; a struct sent as raw bytes must "
            "not hold a long or size_t (or give it serialize and deserialize functions)");
}

}  // namespace
}  // namespace beowulf::detail
