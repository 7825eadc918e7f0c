#include "cluster/node_command.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace beowulf::cluster {
namespace {

using namespace std::chrono_literals;
using remote::EventKind;
using remote::Outcome;

Node node(const char* name, const char* address, Role role = Role::worker) {
  Node n;
  n.name = name;
  n.address = parse_ipv4(address).value();
  n.user = "linaro";
  n.role = role;
  return n;
}

const remote::Ssh ssh{remote::SshOptions{.control_dir = "/tmp/beowulf-test-sockets"}};
const Node worker = node("worker003", "198.18.0.13");

Outcome exited(int code) { return Outcome{EventKind::exited, code, 0, {}, 5ms}; }

TEST(NodeCommand, AWorkerRunsOverSshAsItsUser) {
  auto job = command_job(ssh, worker, "uname -r");
  EXPECT_EQ(job.target.name, "worker003");
  EXPECT_EQ(job.spec.argv.front(), "ssh");
  EXPECT_THAT(job.spec.argv, ::testing::Contains("198.18.0.13"));
  EXPECT_EQ(job.spec.argv.back(), "uname -r");
}

TEST(NodeCommand, TheMasterRunsHereWithTheShell) {
  auto job = command_job(ssh, node("linaro-nano", "198.18.0.10", Role::master), "uname -r");
  EXPECT_THAT(job.spec.argv, ::testing::ElementsAre("sh", "-c", "uname -r"));
}

TEST(NodeCommand, ReportsFailuresAsPdshDoes) {
  EXPECT_EQ(remote::failure_line(remote::target_of(worker), exited(0), "", 10s), std::nullopt);
  EXPECT_EQ(remote::failure_line(remote::target_of(worker), exited(2), "", 10s), "worker003: exited with 2");
  EXPECT_EQ(remote::failure_line(remote::target_of(worker), Outcome{EventKind::timed_out}, "", 10s), "worker003: timed out after 10 s");
  EXPECT_EQ(remote::failure_line(remote::target_of(worker), Outcome{EventKind::timed_out}, "", 1500ms),
            "worker003: timed out after 1.5 s");
  EXPECT_EQ(remote::failure_line(remote::target_of(worker), Outcome{EventKind::exited, -1, 9}, "", 10s), "worker003: killed by signal 9");
  EXPECT_EQ(remote::failure_line(remote::target_of(worker), Outcome{EventKind::cancelled}, "", 10s), "worker003: interrupted");
}

TEST(NodeCommand, SaysWhySshFailed) {
  EXPECT_EQ(remote::failure_line(remote::target_of(worker), exited(255), "ssh: connect to host 198.18.0.13 port 22: Connection refused\n", 10s),
            "worker003: ssh: connection refused");
  EXPECT_EQ(remote::failure_line(remote::target_of(worker), exited(255), "ssh: connect to host 198.18.0.13 port 22: No route to host\n", 10s),
            "worker003: ssh: cannot reach the node: No route to host");
}

TEST(NodeCommand, TheMastersOwn255IsJustAnExitStatus) {
  EXPECT_EQ(remote::failure_line(remote::target_of(node("linaro-nano", "198.18.0.10", Role::master)), exited(255), "", 10s),
            "linaro-nano: exited with 255");
}

TEST(NodeCommand, PushesToAWorkerWithScpKeepingModes) {
  auto job = push_job(ssh, worker, {"/etc/hostname", "/etc/hosts"}, "/tmp/", false);
  ASSERT_TRUE(job);
  EXPECT_EQ(job->spec.argv.front(), "scp");
  EXPECT_THAT(job->spec.argv, ::testing::Contains("-p"));
  EXPECT_EQ(job->spec.argv.back(), "linaro@198.18.0.13:/tmp/");
}

TEST(NodeCommand, PushesToTheMasterWithCpButNeverAFileOntoItself) {
  Node master = node("linaro-nano", "198.18.0.10", Role::master);
  auto job = push_job(ssh, master, {"/etc/hostname"}, "/tmp/copied", true);
  ASSERT_TRUE(job);
  EXPECT_THAT(job->spec.argv, ::testing::ElementsAre("cp", "-p", "-r", "--", "/etc/hostname", "/tmp/copied"));
  EXPECT_FALSE(push_job(ssh, master, {"/etc/hostname"}, "/etc/hostname", false));
  EXPECT_FALSE(push_job(ssh, master, {"/etc/hostname"}, "/etc", false));
}

TEST(NodeCommand, PullsFromEachNodeIntoADirectory) {
  auto job = pull_job(ssh, worker, "/var/log/syslog", "/tmp/logs/worker003", false);
  EXPECT_EQ(job.spec.argv.front(), "scp");
  EXPECT_EQ(job.spec.argv[job.spec.argv.size() - 2], "linaro@198.18.0.13:/var/log/syslog");
  EXPECT_EQ(job.spec.argv.back(), "/tmp/logs/worker003");
  auto local = pull_job(ssh, node("linaro-nano", "198.18.0.10", Role::master), "/etc/hostname", "/tmp/x", false);
  EXPECT_THAT(local.spec.argv, ::testing::ElementsAre("cp", "-p", "--", "/etc/hostname", "/tmp/x"));
}

TEST(NodeCommand, SaysWhyACopyFailed) {
  EXPECT_EQ(remote::failure_line(remote::target_of(worker), exited(1), "scp: /nope: No such file or directory\n", 10s, remote::Ran::copy),
            "worker003: scp: /nope: No such file or directory");
}

TEST(NodeCommand, ExitStatusOfEachEnding) {
  EXPECT_EQ(exit_status(exited(0)), 0);
  EXPECT_EQ(exit_status(exited(3)), 3);
  EXPECT_EQ(exit_status(Outcome{EventKind::exited, -1, 15}), 143);
  EXPECT_EQ(exit_status(Outcome{EventKind::timed_out}), 124);
  EXPECT_EQ(exit_status(Outcome{EventKind::could_not_start}), 127);
  EXPECT_EQ(exit_status(Outcome{EventKind::cancelled}), 130);
}

}  // namespace
}  // namespace beowulf::cluster
