// add_nodes against the fake transport, in a home folder of its own (test_members.h):
// what the user reads for a board that cannot be reached, what was sent to it, and the
// inventory left as it was. No root, no process, no socket.
#include "cluster/add.h"

#include <fmt/core.h>
#include <gtest/gtest.h>

#include <fstream>

#include "cluster/test_members.h"
#include "remote/fake_transport.h"

namespace beowulf::cluster {
namespace {

using AddWithFake = ClusterHome;

TEST_F(AddWithFake, ABoardThatRefusesTheConnectionFailsFirstContactAndIsNotRecorded) {
  std::ofstream(home_.path() + "/.ssh/id_ed25519.pub") << "ssh-ed25519 AAAAmaster linaro@master\n";
  remote::FakeTransport fake;  // ssh-keyscan hears nothing; ssh is refused
  fake.on("", "ssh-keyscan", 0).on("worker003", "", 255, "", "ssh: connect to host 198.18.0.13 port 22: Connection refused\n");
  auto report = add_nodes({.addresses = {"198.18.0.13"}, .transport = &fake});
  ASSERT_TRUE(report.ok()) << report.error().message();
  ASSERT_EQ(report->nodes.size(), 1u);
  EXPECT_EQ(report->nodes[0].name, "worker003");
  ASSERT_TRUE(report->nodes[0].error);
  EXPECT_EQ(report->nodes[0].error->message(), "worker003 (198.18.0.13): first contact: ssh: connection refused");

  std::vector<std::string> sent;
  for (const auto& s : fake.sent()) sent.push_back(fmt::format("{} {}", s.node, s.program));
  // its host key asked for, one connection tried; nothing more, and no other node asked
  EXPECT_EQ(sent, (std::vector<std::string>{"worker003 ssh-keyscan", "worker003 ssh"}));
  auto after = sys::load_inventory(sys::inventory_path());
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->find("worker003"), nullptr);
}

}  // namespace
}  // namespace beowulf::cluster
