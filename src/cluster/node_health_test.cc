#include "cluster/node_health.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include "sys/process.h"

namespace beowulf::cluster {
namespace {

// A Parallella (Zynq, 2 ARM cores, 1 GB): no thermal zone, its XADC sensor under iio,
// a 3.x kernel without MemAvailable, MPICH 3.1 behind mpiexec.
constexpr std::string_view kParallella = R"(uptime 93784.52 180034.11
load 0.52
cores 2
mem MemTotal: 1011224
mem MemFree: 612300
mem Buffers: 20480
mem Cached: 150000
disk 15023104 12011520
xadc 2587 -2219 123.040771484
mpi mpiexec
HYDRA build details:
    Version:                                 3.1
    Release Date:                            Thu Feb 20 11:41:13 CST 2014
)";

// A board with no temperature sensor at all and no MPI installed yet.
constexpr std::string_view kNoSensor = R"(uptime 61.00
load 0.00
cores 4
mem MemTotal: 2000000
mem MemAvailable: 1500000
disk 1000000 50000
mpi -
)";

TEST(NodeHealthTest, ParallellaWithXadcSensor) {
  auto h = parse_node_health(kParallella);
  ASSERT_TRUE(h.ok()) << h.error().message();
  EXPECT_DOUBLE_EQ(h->uptime_seconds, 93784.52);
  EXPECT_DOUBLE_EQ(h->load1, 0.52);
  EXPECT_EQ(h->cores, 2);
  EXPECT_EQ(h->memory_total, 1011224ull * 1024);
  EXPECT_EQ(h->memory_used, (1011224ull - 612300 - 20480 - 150000) * 1024);  // no MemAvailable
  EXPECT_EQ(h->disk_total, 15023104ull * 1024);
  EXPECT_EQ(h->disk_free, 12011520ull * 1024);
  ASSERT_TRUE(h->temperature_c.has_value());
  EXPECT_NEAR(*h->temperature_c, (2587 - 2219) * 123.040771484 / 1000, 1e-9);  // 45.28 C
  EXPECT_EQ(h->mpi, "MPICH 3.1");
  EXPECT_FALSE(alerts(*h).any());
}

TEST(NodeHealthTest, BoardWithoutSensorOrMpi) {
  auto h = parse_node_health(kNoSensor);
  ASSERT_TRUE(h.ok()) << h.error().message();
  EXPECT_FALSE(h->temperature_c.has_value());
  EXPECT_EQ(h->mpi, "");
  EXPECT_EQ(h->memory_used, 500000ull * 1024);
  HealthAlerts a = alerts(*h);
  EXPECT_TRUE(a.disk);  // 5% free
  EXPECT_FALSE(a.load);
  EXPECT_FALSE(a.temperature);
}

TEST(NodeHealthTest, HottestThermalZoneCounts) {
  auto h = parse_node_health(
      "uptime 5\nload 2.50\ncores 2\nmem MemTotal: 100\nmem MemAvailable: 40\ndisk 100 10\n"
      "thermal 41000\nthermal 72500\nmpi ompi_info\nOpen MPI v4.1.4\n\nhttp://www.open-mpi.org/community/help/\n");
  ASSERT_TRUE(h.ok()) << h.error().message();
  EXPECT_DOUBLE_EQ(*h->temperature_c, 72.5);
  EXPECT_EQ(h->mpi, "Open MPI 4.1.4");
  HealthAlerts a = alerts(*h);
  EXPECT_TRUE(a.temperature);
  EXPECT_TRUE(a.load);    // 2.50 on 2 cores
  EXPECT_FALSE(a.disk);   // exactly 10% free is not under 10%
}

TEST(NodeHealthTest, SkipsLinesItDoesNotKnow) {
  auto h = parse_node_health("Welcome to Ubuntu!\nuptime 5\nload 0.1\ncores 1\nmem MemTotal: 100\ndisk 10 5\nmpi -\n");
  ASSERT_TRUE(h.ok()) << h.error().message();
  EXPECT_EQ(h->cores, 1);
}

TEST(NodeHealthTest, RefusesMissingFacts) {
  auto h = parse_node_health("uptime 5\ncores 1\nmem MemTotal: 100\ndisk 10 5\nmpi -\n");
  ASSERT_FALSE(h.ok());
  EXPECT_EQ(h.error().what, "status probe: no 'load' line in the node's answer");

  h = parse_node_health("uptime 5\nload 0.1\ncores 1\nmem MemTotal: 100\ndisk 10 5\n");
  ASSERT_FALSE(h.ok());
  EXPECT_EQ(h.error().what, "status probe: no 'mpi' line in the node's answer");

  h = parse_node_health("");
  ASSERT_FALSE(h.ok());
  EXPECT_EQ(h.error().what, "status probe: no 'uptime' line in the node's answer");
}

TEST(NodeHealthTest, RefusesMalformedNumbers) {
  auto h = parse_node_health("uptime 5\nload 0.1\ncores x\nmem MemTotal: 100\ndisk 10 5\nmpi -\n");
  ASSERT_FALSE(h.ok());
  EXPECT_EQ(h.error().what, "status probe: 'cores': 'x' is not a number");

  h = parse_node_health("uptime 5\nload 0.1\ncores 1\nthermal hot\n");
  ASSERT_FALSE(h.ok());
  EXPECT_EQ(h.error().what, "status probe: line 4: 'thermal hot': not a number");
}

TEST(NodeHealthTest, MpiVersionOfEachLauncher) {
  EXPECT_EQ(mpi_version("HYDRA build details:\n    Version:      4.0.2\n    Release Date: x\n"), "MPICH 4.0.2");
  EXPECT_EQ(mpi_version("MPICH Version:    \t4.0.2\nMPICH Release date:\tThu Apr  7\n"), "MPICH 4.0.2");
  EXPECT_EQ(mpi_version("mpiexec (OpenRTE) 4.1.4\n\nReport bugs to http://www.open-mpi.org/community/help/\n"),
            "Open MPI 4.1.4");
  EXPECT_EQ(mpi_version("mpiexec (Open MPI) 5.0.3\n"), "Open MPI 5.0.3");
  EXPECT_EQ(mpi_version("Open MPI v4.1.4\n"), "Open MPI 4.1.4");
  EXPECT_EQ(mpi_version("\nIntel(R) MPI Library 2021.6\n"), "Intel(R) MPI Library 2021.6");
  EXPECT_EQ(mpi_version(""), "");
}

// The probe itself, run here as a node's shell runs it: its answer parses, and agrees
// with what this machine says of itself.
TEST(NodeHealthTest, ProbeRunsHereAndParses) {
  auto run = sys::run({.argv = {"sh", "-c", probe_script()}, .timeout = std::chrono::seconds(20)});
  ASSERT_TRUE(run.ok()) << run.error().message();
  ASSERT_EQ(run->exit_code, 0) << run->err;
  EXPECT_EQ(run->err, "");
  auto h = parse_node_health(run->out);
  ASSERT_TRUE(h.ok()) << h.error().message() << "\n" << run->out;
  EXPECT_EQ(h->cores, static_cast<int>(sysconf(_SC_NPROCESSORS_ONLN)));
  EXPECT_GT(h->memory_total, 0u);
  EXPECT_GT(h->memory_used, 0u);
  EXPECT_GT(h->disk_total, 0u);
  EXPECT_GT(h->uptime_seconds, 0);
  if (!sys::find_on_path("mpiexec").empty()) {
    EXPECT_FALSE(h->mpi.empty());
  }
}

}  // namespace
}  // namespace beowulf::cluster
