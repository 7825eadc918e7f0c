#include "cluster/node_status.h"

#include <gtest/gtest.h>

#include "sys/temp_dir.h"
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/core.h>

#include <filesystem>
#include <fstream>

namespace beowulf::cluster {
namespace {

namespace fs = std::filesystem;

Node member(std::string name, std::string_view address, Role role = Role::worker) {
  return Node{.name = std::move(name), .address = *parse_ipv4(address), .user = "linaro", .role = role};
}

Inventory cluster_of_five() {
  Inventory inventory;
  EXPECT_TRUE(inventory.put(member("master", "198.18.6.10", Role::master)).ok());
  for (int i = 1; i <= 4; ++i)
    EXPECT_TRUE(inventory.put(member(fmt::format("worker00{}", i), fmt::format("198.18.6.1{}", i))).ok());
  return inventory;
}

// A fake `ssh` (as pdsh's tests do): each address behaves like one kind of node.
class ProbeNodesTest : public ::testing::Test {
 protected:
  sys::TempDir temp_;  // removed with everything in it after the test
  void SetUp() override {
    ASSERT_FALSE(temp_.path().empty());
    dir_ = temp_.path();
    std::ofstream(dir_ + "/ssh") << R"(#!/bin/sh
options=""
while [ "$1" != "--" ]; do options="$options $1"; shift; done
echo "$options $2" >> ")" << dir_ << R"(/calls"
case $2 in
  198.18.6.11) exec sh -c "$3" ;;
  198.18.6.12) echo "ssh: connect to host $2 port 22: Connection refused" >&2; exit 255 ;;
  198.18.6.13) exec sleep 30 ;;
  198.18.6.14) echo "linaro@$2: Permission denied (publickey,password)." >&2; exit 255 ;;
esac
)";
    ::chmod((dir_ + "/ssh").c_str(), 0755);
  }

  remote::Ssh fake_ssh() const {
    return remote::Ssh({.control_dir = dir_, .ssh_program = dir_ + "/ssh"});
  }

  std::string dir_;
};

TEST_F(ProbeNodesTest, EachNodeGetsItsRowAndADeadOneCostsOneTimeout) {
  auto nodes = cluster_of_five().nodes();
  auto started = std::chrono::steady_clock::now();
  auto rows = probe_nodes(nodes, fake_ssh(), {.timeout = std::chrono::milliseconds(1500)});
  auto took = std::chrono::steady_clock::now() - started;
  ASSERT_EQ(rows.size(), 5u);

  EXPECT_EQ(rows[0].name, "master");  // probed here, without ssh
  EXPECT_TRUE(rows[0].health.has_value()) << rows[0].problem;
  EXPECT_EQ(rows[1].address, "198.18.6.11");
  EXPECT_TRUE(rows[1].health.has_value()) << rows[1].problem;

  EXPECT_FALSE(rows[2].health.has_value());
  EXPECT_TRUE(rows[2].down);
  EXPECT_EQ(rows[2].problem, "ssh: connection refused");
  EXPECT_TRUE(rows[3].down);
  EXPECT_EQ(rows[3].problem, "no answer within 1.5 s");
  EXPECT_FALSE(rows[4].down);
  EXPECT_EQ(rows[4].problem, "ssh: key login refused");

  EXPECT_LT(took, std::chrono::seconds(10));  // the sleeper was killed, not waited for

  std::ifstream calls(dir_ + "/calls");
  std::string line;
  std::size_t count = 0;
  while (std::getline(calls, line)) {
    ++count;
    EXPECT_NE(line.find("-o BatchMode=yes"), std::string::npos) << line;
    EXPECT_NE(line.find("-o ControlMaster=auto"), std::string::npos) << line;
    EXPECT_NE(line.find("-l linaro"), std::string::npos) << line;
  }
  EXPECT_EQ(count, 4u);  // one ssh per worker, none for the master
}

TEST_F(ProbeNodesTest, CtrlCStopsEveryProbe) {
  int cancel[2];
  ASSERT_EQ(::pipe(cancel), 0);
  ASSERT_EQ(::write(cancel[1], "x", 1), 1);
  std::vector<Node> nodes = {*cluster_of_five().find("worker003")};
  auto rows = probe_nodes(nodes, fake_ssh(), {.timeout = std::chrono::seconds(20), .cancel_fd = cancel[0]});
  ::close(cancel[0]);
  ::close(cancel[1]);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].problem, "interrupted");
}

}  // namespace
}  // namespace beowulf::cluster
