#include "cli/status_table.h"

#include <gtest/gtest.h>

namespace beowulf::cli {
namespace {

constexpr std::uint64_t kMiB = 1024 * 1024;
constexpr std::uint64_t kGiB = 1024 * kMiB;

cluster::NodeStatus up(std::string name, std::string address, cluster::NodeHealth health, std::string arch = "armhf") {
  return {std::move(name), std::move(address), std::move(health), false, {}, false, std::move(arch)};
}

std::vector<cluster::NodeStatus> sample_rows() {
  cluster::NodeHealth calm{.uptime_seconds = 18720, .load1 = 0.15, .cores = 2, .memory_used = 312 * kMiB,
                           .memory_total = 1010 * kMiB, .disk_free = 12 * kGiB, .disk_total = 15 * kGiB,
                           .temperature_c = std::nullopt, .mpi = "MPICH 4.0.2"};
  cluster::NodeHealth hot{.uptime_seconds = 3 * 86400 + 4 * 3600, .load1 = 2.5, .cores = 2, .memory_used = 500 * kMiB,
                          .memory_total = 1010 * kMiB, .disk_free = 1 * kGiB, .disk_total = 16 * kGiB,
                          .temperature_c = 75.04, .mpi = ""};
  return {up("master", "198.18.6.1", calm), up("worker001", "198.18.6.11", hot),
          {"worker002", "198.18.6.12", std::nullopt, true, "ssh: connection refused", false, "arm64"},
          {"worker003", "198.18.6.13", std::nullopt, false, "ssh: key login refused"}};
}

TEST(StatusTableTest, MarksCellsPastTheirLimitsWithABang) {
  EXPECT_EQ(status_table(sample_rows(), false),
            "NODE       ADDRESS      ARCH   STATE  UPTIME  LOAD   CORES  MEMORY      DISK FREE   TEMP    MPI\n"
            "master     198.18.6.1   armhf  up     5h 12m  0.15   2      312M/1010M  12G (80%)   -       MPICH 4.0.2\n"
            "worker001  198.18.6.11  armhf  up     3d 4h   2.50!  2      500M/1010M  1.0G (6%)!  75.0C!  -\n"
            "worker002  198.18.6.12  arm64  down: ssh: connection refused\n"
            "worker003  198.18.6.13  -      failed: ssh: key login refused\n"
            "4 nodes: 2 up, 1 down, 1 failed\n");
}

TEST(StatusTableTest, APlannedNodeIsPlannedNotDown) {
  auto rows = sample_rows();
  rows.resize(1);
  rows.push_back({.name = "worker004", .address = "198.18.6.14", .problem = "not yet added: beowulf add --planned",
                  .planned = true});
  EXPECT_EQ(status_table(rows, false),
            "NODE       ADDRESS      ARCH   STATE  UPTIME  LOAD  CORES  MEMORY      DISK FREE  TEMP  MPI\n"
            "master     198.18.6.1   armhf  up     5h 12m  0.15  2      312M/1010M  12G (80%)  -     MPICH 4.0.2\n"
            "worker004  198.18.6.14  -      planned: not yet added: beowulf add --planned\n"
            "2 nodes: 1 up, 1 planned\n");
  EXPECT_NE(status_json(rows).find(R"({"node":"worker004","address":"198.18.6.14","arch":null,"state":"planned")"),
            std::string::npos);
}

TEST(StatusTableTest, ANodesTextCannotDriveTheTerminal) {
  std::vector<cluster::NodeStatus> rows = {
      {"worker002", "198.18.6.12", std::nullopt, false, "status probe: \x1b]0;owned\x07\x1b[2Jgone"}};
  EXPECT_EQ(status_table(rows, false),
            "NODE       ADDRESS      ARCH  STATE  UPTIME  LOAD  CORES  MEMORY  DISK FREE  TEMP  MPI\n"
            "worker002  198.18.6.12  -     failed: status probe: ?]0;owned??[2Jgone\n"
            "1 node: 0 up, 1 failed\n");
}

TEST(StatusTableTest, MarksCellsInRedOnATerminal) {
  auto rows = sample_rows();
  rows.erase(rows.begin() + 3);
  EXPECT_EQ(status_table(rows, true),
            "NODE       ADDRESS      ARCH   STATE  UPTIME  LOAD  CORES  MEMORY      DISK FREE  TEMP   MPI\n"
            "master     198.18.6.1   armhf  up     5h 12m  0.15  2      312M/1010M  12G (80%)  -      MPICH 4.0.2\n"
            "worker001  198.18.6.11  armhf  up     3d 4h   \x1b[1;31m2.50\x1b[0m  2      500M/1010M  "
            "\x1b[1;31m1.0G (6%)\x1b[0m  \x1b[1;31m75.0C\x1b[0m  -\n"
            "worker002  198.18.6.12  arm64  \x1b[1;31mdown: ssh: connection refused\x1b[0m\n"
            "3 nodes: 2 up, 1 down\n");
}

TEST(StatusTableTest, OneNodeAllWell) {
  auto rows = sample_rows();
  rows.resize(1);
  EXPECT_EQ(status_table(rows, false),
            "NODE    ADDRESS     ARCH   STATE  UPTIME  LOAD  CORES  MEMORY      DISK FREE  TEMP  MPI\n"
            "master  198.18.6.1  armhf  up     5h 12m  0.15  2      312M/1010M  12G (80%)  -     MPICH 4.0.2\n"
            "1 node: 1 up\n");
}

TEST(StatusTableTest, JsonHasOneObjectPerNode) {
  auto rows = sample_rows();
  rows.pop_back();
  EXPECT_EQ(status_json(rows),
            R"({"node":"master","address":"198.18.6.1","arch":"armhf","state":"up","uptime_seconds":18720.0,"load1":0.15,)"
            R"("cores":2,"memory_used_bytes":327155712,"memory_total_bytes":1059061760,"disk_free_bytes":12884901888,)"
            R"("disk_total_bytes":16106127360,"temperature_c":null,"mpi":"MPICH 4.0.2","alerts":[]})"
            "\n"
            R"({"node":"worker001","address":"198.18.6.11","arch":"armhf","state":"up","uptime_seconds":273600.0,"load1":2.5,)"
            R"("cores":2,"memory_used_bytes":524288000,"memory_total_bytes":1059061760,"disk_free_bytes":1073741824,)"
            R"("disk_total_bytes":17179869184,"temperature_c":75.04,"mpi":null,"alerts":["load","disk","temperature"]})"
            "\n"
            R"({"node":"worker002","address":"198.18.6.12","arch":"arm64","state":"down","error":"ssh: connection refused"})"
            "\n");
}

TEST(StatusTableTest, RedrawsInPlaceLineByLine) {
  EXPECT_EQ(drawn_in_place("Every 2s\n\nNODE\n"), "\x1b[HEvery 2s\x1b[K\n\x1b[K\nNODE\x1b[K\n\x1b[J");
}

TEST(StatusTableTest, HumanSizesAndUptimes) {
  EXPECT_EQ(human_bytes(0), "0");
  EXPECT_EQ(human_bytes(1023), "1023");
  EXPECT_EQ(human_bytes(1536), "1.5K");
  EXPECT_EQ(human_bytes(312 * kMiB), "312M");
  EXPECT_EQ(human_bytes(12 * kGiB), "12G");
  EXPECT_EQ(human_bytes(2048 * kGiB), "2.0T");
  EXPECT_EQ(uptime_text(42.9), "42s");
  EXPECT_EQ(uptime_text(60 * 12 + 5), "12m");
  EXPECT_EQ(uptime_text(18720), "5h 12m");
  EXPECT_EQ(uptime_text(3 * 86400 + 4 * 3600 + 59), "3d 4h");
}

}  // namespace
}  // namespace beowulf::cli
