#include "cluster/cluster_tables.h"

#include <gtest/gtest.h>

#include "sys/atomic_file.h"
#include "sys/process.h"
#include "sys/temp_dir.h"

namespace beowulf::cluster {
namespace {

using Lines = std::vector<std::string>;

const std::vector<MemberKeys> kMembers = {
    {{"master", "198.18.0.10"}, "ssh-ed25519 AAAAm", {"ssh-ed25519 HHHHm"}},
    {{"worker001", "198.18.0.11"}, "ssh-ed25519 AAAA1", {"ecdsa-sha2-nistp256 EEEE1", "ssh-ed25519 HHHH1"}},
};

std::string block(const Lines& lines) {
  std::string out = "# BEGIN beowulf\n";
  for (const auto& l : lines) out += l + "\n";
  return out + "# END beowulf\n";
}

TEST(ClusterTables, MapsEveryNameAndKey) {
  auto t = make_tables(kMembers);
  EXPECT_EQ(t.hosts, (Lines{"198.18.0.10 master", "198.18.0.11 worker001"}));
  EXPECT_EQ(t.authorized_keys, (Lines{"ssh-ed25519 AAAAm master", "ssh-ed25519 AAAA1 worker001"}));
  EXPECT_EQ(t.known_hosts, (Lines{"master,198.18.0.10 ssh-ed25519 HHHHm",
                                  "worker001,198.18.0.11 ecdsa-sha2-nistp256 EEEE1",
                                  "worker001,198.18.0.11 ssh-ed25519 HHHH1"}));
}

TEST(ClusterTables, DropsDebiansLoopbackNameLine) {
  EXPECT_EQ(without_stale_loopback("127.0.0.1\tlocalhost\n127.0.1.1\tlinaro-nano\n::1 localhost\n"),
            "127.0.0.1\tlocalhost\n::1 localhost\n");
  EXPECT_EQ(without_stale_loopback("127.0.0.1 localhost"), "127.0.0.1 localhost");
}

NodeFacts fresh_board() {
  NodeFacts f;
  f.hostname = "linaro-nano";
  f.etc_hostname = "linaro-nano\n";
  f.etc_hosts = "127.0.0.1 localhost\n127.0.1.1 linaro-nano\n";
  f.known_hosts = std::nullopt;
  f.authorized_keys = "# BEGIN beowulf\nssh-ed25519 AAAAm master\n# END beowulf\n";
  return f;
}

TEST(ClusterTables, ChangesAFreshBoardThenNothingOnceItIsRight) {
  auto tables = make_tables(kMembers);
  NodeFacts f = fresh_board();
  auto c = changes_for("worker001", f, tables);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->hostname, "worker001");
  EXPECT_EQ(c->etc_hosts, "127.0.0.1 localhost\n" + block(tables.hosts));
  EXPECT_EQ(c->authorized_keys, block(tables.authorized_keys));
  EXPECT_EQ(c->known_hosts, block(tables.known_hosts));
  EXPECT_TRUE(c->needs_root());

  f.hostname = "worker001";
  f.etc_hostname = "worker001\n";
  f.etc_hosts = c->etc_hosts;
  f.authorized_keys = c->authorized_keys;
  f.known_hosts = c->known_hosts;
  EXPECT_TRUE(changes_for("worker001", f, tables)->empty());

  f.hostname = "linaro-nano";  // /etc/hostname is right, the live name is not: still renamed
  EXPECT_EQ(changes_for("worker001", f, tables)->hostname, "worker001");
}

TEST(ClusterTables, RefusesABrokenBlockNamingTheFile) {
  NodeFacts f = fresh_board();
  f.known_hosts = "# BEGIN beowulf\nx\n";
  auto c = changes_for("worker001", f, make_tables(kMembers));
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.error().what.find("~/.ssh/known_hosts"), std::string::npos) << c.error().what;
}

TEST(ClusterTables, RecoversAMembersKeysFromTheMastersBlocks) {
  auto tables = make_tables(kMembers);
  auto keys = keys_from_blocks({"worker001", "198.18.0.11"}, block(tables.authorized_keys),
                               "|1|hashed ssh-ed25519 X\n" + block(tables.known_hosts));
  EXPECT_EQ(keys.user_key, "ssh-ed25519 AAAA1");
  EXPECT_EQ(keys.host_keys, kMembers[1].host_keys);
}

TEST(ClusterTables, SshConfigNamesEveryNodeWithSockets) {
  EXPECT_EQ(ssh_config_block({{"worker001", "198.18.0.11", "linaro"}}, "/home/linaro/.beowulf/ssh"),
            (Lines{"Host worker001 198.18.0.11", "  HostName 198.18.0.11", "  User linaro", "  ControlMaster auto",
                   "  ControlPath /home/linaro/.beowulf/ssh/%C", "  ControlPersist 10m"}));
}

TEST(ClusterTables, SshConfigQuotesAHomeWithASpace) {
  // Unquoted, ssh refused the whole ~/.ssh/config: "garbage at end of line".
  auto lines = ssh_config_block({{"worker001", "198.18.0.11", "linaro"}}, "/home/Jo Smith/100%/.beowulf/ssh");
  EXPECT_EQ(lines[4], "  ControlPath \"/home/Jo Smith/100%%/.beowulf/ssh/%C\"");
  sys::TempDir dir;
  std::string config = dir.path() + "/config";
  std::string text;
  for (const auto& line : lines) text += line + "\n";
  ASSERT_TRUE(sys::write_file_atomically(config, text, 0600).ok());
  auto r = sys::run({.argv = {"ssh", "-G", "-F", config, "worker001"}});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->exit_code, 0) << r->err;
  EXPECT_NE(r->out.find("controlpath /home/Jo Smith/100%/.beowulf/ssh/"), std::string::npos) << r->out;
}

}  // namespace
}  // namespace beowulf::cluster
