#include "cluster/cluster_tables.h"

#include <gtest/gtest.h>

namespace beowulf::cluster {
namespace {

const std::vector<MemberKeys> kMembers = {
    {{"master", "198.18.0.10"}, "ssh-ed25519 AAAAm", {"ssh-ed25519 HHHHm"}},
    {{"worker001", "198.18.0.11"}, "ssh-ed25519 AAAA1", {"ecdsa-sha2-nistp256 EEEE1", "ssh-ed25519 HHHH1"}},
};

TEST(ClusterTables, MapsEveryNameAndKey) {
  auto t = make_tables(kMembers);
  EXPECT_EQ(t.hosts, "198.18.0.10 master\n198.18.0.11 worker001\n");
  EXPECT_EQ(t.authorized_keys, "ssh-ed25519 AAAAm master\nssh-ed25519 AAAA1 worker001\n");
  EXPECT_EQ(t.known_hosts,
            "master,198.18.0.10 ssh-ed25519 HHHHm\n"
            "worker001,198.18.0.11 ecdsa-sha2-nistp256 EEEE1\n"
            "worker001,198.18.0.11 ssh-ed25519 HHHH1\n");
}

TEST(ClusterTables, BlocksAreAppendedThenReplacedInPlace) {
  std::string once = with_block("127.0.0.1 localhost", "198.18.0.11 worker001\n");
  EXPECT_EQ(once, "127.0.0.1 localhost\n# BEGIN beowulf\n198.18.0.11 worker001\n# END beowulf\n");
  EXPECT_EQ(with_block(once, "198.18.0.11 worker001\n"), once);
  std::string edited = once + "::1 ip6-localhost\n";
  EXPECT_EQ(with_block(edited, "x\n"), "127.0.0.1 localhost\n# BEGIN beowulf\nx\n# END beowulf\n::1 ip6-localhost\n");
  EXPECT_EQ(block_of(edited), "198.18.0.11 worker001\n");
  EXPECT_EQ(block_of("no block\n"), "");
  EXPECT_EQ(with_block("", "x\n"), "# BEGIN beowulf\nx\n# END beowulf\n");
}

TEST(ClusterTables, DropsDebiansLoopbackNameLine) {
  EXPECT_EQ(without_stale_loopback("127.0.0.1\tlocalhost\n127.0.1.1\tlinaro-nano\n::1 localhost\n"),
            "127.0.0.1\tlocalhost\n::1 localhost\n");
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
  NodeChanges c = changes_for("worker001", f, tables);
  EXPECT_EQ(c.hostname, "worker001");
  EXPECT_EQ(c.etc_hosts, "127.0.0.1 localhost\n# BEGIN beowulf\n198.18.0.10 master\n198.18.0.11 worker001\n# END beowulf\n");
  EXPECT_EQ(c.authorized_keys, "# BEGIN beowulf\nssh-ed25519 AAAAm master\nssh-ed25519 AAAA1 worker001\n# END beowulf\n");
  EXPECT_EQ(c.known_hosts, "# BEGIN beowulf\n" + tables.known_hosts + "# END beowulf\n");
  EXPECT_TRUE(c.needs_root());

  f.hostname = "worker001";
  f.etc_hostname = "worker001\n";
  f.etc_hosts = c.etc_hosts;
  f.authorized_keys = c.authorized_keys;
  f.known_hosts = c.known_hosts;
  EXPECT_TRUE(changes_for("worker001", f, tables).empty());

  f.hostname = "linaro-nano";  // /etc/hostname right, the live name not: still renamed
  EXPECT_EQ(changes_for("worker001", f, tables).hostname, "worker001");
}

TEST(ClusterTables, RecoversAMembersKeysFromTheMastersBlocks) {
  auto tables = make_tables(kMembers);
  auto keys = keys_from_blocks({"worker001", "198.18.0.11"}, with_block("", tables.authorized_keys),
                               with_block("|1|hashed ssh-ed25519 X\n", tables.known_hosts));
  EXPECT_EQ(keys.user_key, "ssh-ed25519 AAAA1");
  EXPECT_EQ(keys.host_keys, kMembers[1].host_keys);
}

TEST(ClusterTables, SshConfigNamesEveryNodeWithSockets) {
  EXPECT_EQ(ssh_config_block({{"worker001", "198.18.0.11"}}, "linaro", "/home/linaro/.beowulf/ssh"),
            "Host worker001\n  HostName 198.18.0.11\n  User linaro\n  ControlMaster auto\n"
            "  ControlPath /home/linaro/.beowulf/ssh/%C\n  ControlPersist 10m\n");
}

}  // namespace
}  // namespace beowulf::cluster
