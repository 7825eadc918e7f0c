#include "cluster/node_facts.h"

#include <gtest/gtest.h>

#include "core/base64.h"

namespace beowulf::cluster {
namespace {

TEST(NodeFacts, ParsesTheGatherAnswer) {
  std::string out = "hostname linaro-nano\ncores 2\narch armhf\n"
                    "etc_hostname =" + base64_encode("linaro-nano\n") + "\n"
                    "etc_hosts =" + base64_encode("127.0.0.1 localhost\n127.0.1.1 linaro-nano\n") + "\n"
                    "authorized_keys -\n"
                    "known_hosts =\n"
                    "user_key =" + base64_encode("ssh-ed25519 AAAAuser linaro@worker001\n") + "\n"
                    "host_keys =" + base64_encode("ecdsa-sha2-nistp256 AAAAe root@x\nssh-ed25519 AAAAh root@x\n") + "\n";
  auto facts = parse_node_facts(out);
  ASSERT_TRUE(facts.ok()) << facts.error().what;
  EXPECT_EQ(facts->hostname, "linaro-nano");
  EXPECT_EQ(facts->cores, 2);
  EXPECT_EQ(facts->arch, "armhf");
  EXPECT_EQ(facts->etc_hostname, "linaro-nano\n");
  EXPECT_EQ(facts->etc_hosts, "127.0.0.1 localhost\n127.0.1.1 linaro-nano\n");
  EXPECT_EQ(facts->authorized_keys, std::nullopt);
  EXPECT_EQ(facts->known_hosts, "");
  EXPECT_EQ(facts->user_key, "ssh-ed25519 AAAAuser");
  EXPECT_EQ(facts->host_keys, (std::vector<std::string>{"ecdsa-sha2-nistp256 AAAAe", "ssh-ed25519 AAAAh"}));
}

TEST(NodeFacts, RefusesAMalformedAnswer) {
  EXPECT_EQ(parse_node_facts("etc_hosts =%%%\n").error().what, "malformed line for 'etc_hosts' in the node's answer");
  EXPECT_EQ(parse_node_facts("hostname x\n").error().what, "no user key in the node's answer");
  EXPECT_EQ(parse_node_facts("user_key =" + base64_encode("ssh-ed25519 AAAA") + "\nhost_keys =\n").error().what,
            "no ssh host key in /etc/ssh on the node");
}

TEST(PublicKey, DropsOptionsAndComment) {
  EXPECT_EQ(public_key_of("ssh-ed25519 AAAA linaro@x"), "ssh-ed25519 AAAA");
  EXPECT_EQ(public_key_of("from=\"10.0.0.1\" ssh-rsa BBBB c"), "ssh-rsa BBBB");
  EXPECT_EQ(public_key_of("# BEGIN beowulf"), "");
  EXPECT_EQ(public_key_of(""), "");
}

}  // namespace
}  // namespace beowulf::cluster
