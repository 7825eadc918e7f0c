// Who receives the boards' password: update_files_job's plan of stdin, per node.
#include "cluster/cluster_sync.h"

#include <gtest/gtest.h>

namespace beowulf::cluster {
namespace {

const remote::Ssh kSsh{remote::SshOptions{}};

StepNode node(const std::string& name, bool local = false) {
  return {{.name = name, .address = "198.18.0.11", .user = "linaro", .local = local}, std::nullopt};
}

NodeChanges hosts_change() {
  NodeChanges changes;
  changes.etc_hosts = "127.0.0.1 localhost\n";
  return changes;
}

TEST(UpdateFilesJob, ThePasswordGoesOnlyToTheNodesBeingAdded) {
  SudoPassword sudo{"s3cret", {"worker003"}, true};
  auto added = update_files_job(kSsh, node("worker003"), hosts_change(), sudo);
  EXPECT_EQ(added.input, "s3cret\n");

  for (const auto& other : {node("master", true), node("worker001")}) {
    auto spec = update_files_job(kSsh, other, hosts_change(), sudo);
    EXPECT_EQ(spec.input, "") << other.name();
    const std::string& script = spec.argv.back();  // sh -c SCRIPT, or ssh ... SCRIPT
    EXPECT_EQ(script.find("sudo -S"), std::string::npos) << other.name();
    EXPECT_NE(script.find("sudo -n sh -c"), std::string::npos) << other.name();
  }
}

TEST(UpdateFilesJob, NoPasswordWhereNoRootIsNeeded) {
  SudoPassword sudo{"s3cret", {"worker003"}, true};
  NodeChanges keys_only;
  keys_only.known_hosts = "x\n";
  EXPECT_EQ(update_files_job(kSsh, node("worker003"), keys_only, sudo).input, "");
}

}  // namespace
}  // namespace beowulf::cluster
