// remove_nodes against the fake transport, in a home folder of its own: what the user
// gets back, the inventory written, and what each node was sent. No root, no process.
#include "cluster/remove.h"

#include <fmt/core.h>
#include <gtest/gtest.h>


#include "cluster/test_members.h"
#include "remote/fake_transport.h"
#include "sys/inventory_file.h"
#include "sys/paths.h"

namespace beowulf::cluster {
namespace {

using RemoveWithFake = ClusterHome;

TEST_F(RemoveWithFake, TheNodeLeavesTheInventoryAndTheOthersAreToldWhileItIsSentNothing) {
  remote::FakeTransport fake;
  fake.on("master", "", 0, facts_of("master")).on("worker001", "", 0, facts_of("worker001"));
  auto report = remove_nodes({.nodes = {"198.18.0.12"}, .transport = &fake});
  ASSERT_TRUE(report.ok()) << report.error().message();
  ASSERT_EQ(report->removed.size(), 1u);
  EXPECT_EQ(report->removed[0].name, "worker002");
  EXPECT_TRUE(report->failures.empty());

  auto after = sys::load_inventory(sys::inventory_path());
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->find("worker002"), nullptr);
  EXPECT_NE(after->find("worker001"), nullptr);

  std::vector<std::string> sent;
  for (const auto& s : fake.sent()) sent.push_back(fmt::format("{} {}", s.node, s.here ? "here" : "ssh"));
  // gather on each member left, then the update of each one's files; worker002 gets nothing
  EXPECT_EQ(sent, (std::vector<std::string>{"master here", "worker001 ssh", "master here", "worker001 ssh"}));
  // the master's /etc/hosts changes (root, through sudo -n: no password goes anywhere)
  EXPECT_NE(fake.sent()[2].command.find("sudo -n sh -c"), std::string::npos);
  for (const auto& s : fake.sent()) EXPECT_EQ(s.input, "");
}

TEST_F(RemoveWithFake, TheMastersRefusedSudoStopsWithTheHintAndWritesNoInventory) {
  remote::FakeTransport fake;
  fake.on("master", "sudo -n sh -c", 1, "", "sudo: a password is required\n")
      .on("master", "", 0, facts_of("master"))
      .on("worker001", "", 0, facts_of("worker001"));
  auto report = remove_nodes({.nodes = {"worker002"}, .transport = &fake});
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.error().message(), "master (198.18.0.10): update files: sudo asked for a password");
  EXPECT_EQ(report.error().hint, "the master needs root for its /etc/hosts: run 'sudo -v' on the master, then remove again");
  auto after = sys::load_inventory(sys::inventory_path());
  ASSERT_TRUE(after.ok());
  EXPECT_NE(after->find("worker002"), nullptr);
}

}  // namespace
}  // namespace beowulf::cluster
