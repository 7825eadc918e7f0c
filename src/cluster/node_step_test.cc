// run_step and gather_facts against the fake transport: no process, no socket; what the
// user would read is each node's error, and what each node was sent.
#include "cluster/node_step.h"

#include <fmt/core.h>
#include <gtest/gtest.h>

#include "cluster/cluster_sync.h"
#include "cluster/test_members.h"
#include "remote/fake_transport.h"

namespace beowulf::cluster {
namespace {

std::vector<StepNode> master_and_two_workers() {
  return step_nodes({Node{.name = "master", .address = *parse_ipv4("198.18.0.10"), .user = "linaro", .role = Role::master},
                     Node{.name = "worker001", .address = *parse_ipv4("198.18.0.11"), .user = "linaro"},
                     Node{.name = "worker002", .address = *parse_ipv4("198.18.0.12"), .user = "pi"}});
}

/// "NODE here|ssh COMMAND" for each job the fake was sent.
std::vector<std::string> sent(const remote::FakeTransport& fake) {
  std::vector<std::string> out;
  for (const auto& s : fake.sent()) out.push_back(fmt::format("{} {} {}", s.node, s.here ? "here" : "ssh", s.command));
  return out;
}

const remote::Ssh kSsh{remote::SshOptions{.control_dir = "/nonexistent"}};

TEST(RunStep, ANodeThatFailsAStepIsNamedWithItAndTakesNoFurtherStep) {
  remote::FakeTransport fake;
  fake.on("worker002", "", remote::Outcome{.end = remote::EventKind::timed_out});
  auto nodes = master_and_two_workers();
  remote::FanOutOptions fan{.timeout = std::chrono::milliseconds(1500), .transport = &fake};
  auto job = [](StepNode& n) -> std::optional<sys::ProcessSpec> { return kSsh.run(n.target, "hostname"); };
  int checked = 0;
  auto check = [&](StepNode&, const remote::NodeRun&) -> Status {
    ++checked;
    return {};
  };
  run_step(pointers(nodes), "set hostname", fan, job, check);
  run_step(pointers(nodes), "prove", fan, job, check);

  ASSERT_TRUE(nodes[2].error);
  EXPECT_EQ(nodes[2].error->message(), "worker002 (198.18.0.12): set hostname: no answer within 1.5 s");
  EXPECT_TRUE(nodes[0].ok() && nodes[1].ok());
  EXPECT_EQ(checked, 4);  // a timed-out node's answer is never read
  EXPECT_EQ(sent(fake), (std::vector<std::string>{"master here hostname", "worker001 ssh hostname",
                                                  "worker002 ssh hostname", "master here hostname",
                                                  "worker001 ssh hostname"}));
}

TEST(RunStep, ACheckThatRefusesTheAnswerFailsTheNodeWithTheStepInFront) {
  remote::FakeTransport fake;
  fake.on("worker001", "", 0, "someone-else\n");
  auto nodes = master_and_two_workers();
  run_step(
      pointers(nodes), "prove", {.transport = &fake},
      [](StepNode& n) -> std::optional<sys::ProcessSpec> { return kSsh.run(n.target, "hostname"); },
      [](StepNode& n, const remote::NodeRun& run) -> Status {
        if (run.out != n.name() + "\n") return Error{fmt::format("the node calls itself '{}'", run.out.substr(0, run.out.find('\n')))};
        return {};
      });
  ASSERT_TRUE(nodes[1].error);
  EXPECT_EQ(nodes[1].error->message(), "worker001 (198.18.0.11): prove: the node calls itself 'someone-else'");
}

TEST(GatherFacts, KeepsEachAnsweringNodesFactsAndExplainsARefusedLogin) {
  remote::FakeTransport fake;
  fake.on("worker002", "", 255, "", "pi@198.18.0.12: Permission denied (publickey,password).\n")
      .on("master", "", 0, facts_of("master"))
      .on("worker001", "", 0, facts_of("worker001"));
  auto nodes = master_and_two_workers();
  FactsByName facts;
  gather_facts(pointers(nodes), kSsh, {.transport = &fake}, "gather", facts);

  EXPECT_EQ(facts.size(), 2u);
  EXPECT_EQ(facts.at("worker001").cores, 4);
  ASSERT_TRUE(nodes[2].error);
  EXPECT_EQ(nodes[2].error->message(), "worker002 (198.18.0.12): gather: ssh: key login refused");
  // The gather script names the node it is for; the master's runs here, not over ssh.
  ASSERT_EQ(fake.sent().size(), 3u);
  EXPECT_TRUE(fake.sent()[0].here);
  EXPECT_FALSE(fake.sent()[1].here);
  EXPECT_NE(fake.sent()[1].command.find("worker001"), std::string::npos);
}

TEST(GatherFacts, AnAnswerWithoutItsKeysNamesTheStepOnce) {
  remote::FakeTransport fake;
  fake.on("worker001", "", 0, "hostname worker001\n").on("", "", 0, facts_of("master"));
  auto nodes = master_and_two_workers();
  FactsByName facts;
  gather_facts(pointers(nodes), kSsh, {.transport = &fake}, "gather", facts);

  ASSERT_TRUE(nodes[1].error);
  EXPECT_EQ(nodes[1].error->message(), "worker001 (198.18.0.11): gather: no user key in the node's answer");
  EXPECT_FALSE(nodes[2].error);
}

}  // namespace
}  // namespace beowulf::cluster
