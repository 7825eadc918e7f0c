#include "cluster/host_key_pin.h"

#include <gtest/gtest.h>

namespace beowulf::cluster {
namespace {

const std::string kOldPrint = "SHA256:oooooooooooooooooooooooooooooooooooooooooo1";
const std::string kNewPrint = "SHA256:nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn1";
const HostKeys kOffered{{"ecdsa-sha2-nistp256 EEE", "ssh-ed25519 NNN"}, {"SHA256:ecdsa", kNewPrint}};

const std::string kHint =
    "check the key on the board's console with 'ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub'; if it prints " +
    kNewPrint + ", the board was re-imaged: accept it with --new-host-key " + kNewPrint +
    " (or 'beowulf remove' the node first)";

Node member(const std::string& print) {
  Node n;
  n.name = "worker003";
  n.host_key = print;
  return n;
}

TEST(HostKeyPin, ReadsKeyscanOutput) {
  EXPECT_EQ(keyscan_keys("# 198.18.0.13:22 SSH-2.0-OpenSSH_9.2p1\n198.18.0.13 ssh-ed25519 AAAA\r\n"
                         "198.18.0.13 ecdsa-sha2-nistp256 BBBB\ngarbage\n"),
            (std::vector<std::string>{"ssh-ed25519 AAAA", "ecdsa-sha2-nistp256 BBBB"}));
  EXPECT_TRUE(keyscan_keys("").empty());
}

TEST(HostKeyPin, ANewNodeIsTrustedOnFirstUseWithItsEd25519Key) {
  auto pin = choose_pin(nullptr, {}, kOffered, {});
  ASSERT_TRUE(pin.ok());
  EXPECT_EQ(pin->keys, std::vector<std::string>{"ssh-ed25519 NNN"});
  EXPECT_EQ(pin->fingerprint, kNewPrint);
}

TEST(HostKeyPin, AMemberIsPinnedToItsRecordedKey) {
  Node n = member(kNewPrint);
  auto pin = choose_pin(&n, {}, kOffered, {});
  ASSERT_TRUE(pin.ok());
  EXPECT_EQ(pin->keys, std::vector<std::string>{"ssh-ed25519 NNN"});
  Node ecdsa = member("SHA256:ecdsa");
  EXPECT_EQ(choose_pin(&ecdsa, {}, kOffered, {})->keys, std::vector<std::string>{"ecdsa-sha2-nistp256 EEE"});
}

TEST(HostKeyPin, AMemberWithAnotherKeyIsRefusedWithBothFingerprints) {
  Node n = member(kOldPrint);
  auto pin = choose_pin(&n, {}, kOffered, {});
  ASSERT_FALSE(pin.ok());
  EXPECT_EQ(pin.error().what, "the node's host key changed (recorded " + kOldPrint + ", offered " + kNewPrint +
                                  "): refused before any password or key was sent");
  EXPECT_EQ(pin.error().hint, kHint);
}

TEST(HostKeyPin, ANewHostKeyTheUserReadOnTheBoardIsAccepted) {
  Node n = member(kOldPrint);
  auto pin = choose_pin(&n, {}, kOffered, {kNewPrint});
  ASSERT_TRUE(pin.ok());
  EXPECT_EQ(pin->fingerprint, kNewPrint);
  EXPECT_EQ(pin->keys, std::vector<std::string>{"ssh-ed25519 NNN"});
  EXPECT_FALSE(choose_pin(&n, {}, kOffered, {"SHA256:another"}).ok());
}

TEST(HostKeyPin, APlannedNodeIsPinnedToTheKeysMadeForItsCard) {
  Node n = member("");
  n.planned = true;
  HostKeys planned{{"ssh-ed25519 NNN", "ecdsa-sha2-nistp256 EEE"}, {kNewPrint, "SHA256:ecdsa"}};
  auto pin = choose_pin(&n, planned, kOffered, {});
  ASSERT_TRUE(pin.ok());
  EXPECT_EQ(pin->keys, planned.keys);
  EXPECT_EQ(pin->fingerprint, kNewPrint);

  HostKeys other{{"ssh-ed25519 OOO"}, {kOldPrint}};
  auto refused = choose_pin(&n, other, kOffered, {});
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().what, "the node offers host key " + kNewPrint + ", not the one made for its card (" +
                                      kOldPrint + "): refused before any password or key was sent");
  EXPECT_EQ(refused.error().hint, kHint);
}

TEST(HostKeyPin, FingerprintsAreOpenSshs) {
  EXPECT_TRUE(is_sha256_fingerprint("SHA256:5R5KVI2aUgJpZkbFXcLSk7DzOtUGBCpORI/SzaRwg00"));
  EXPECT_FALSE(is_sha256_fingerprint("SHA256:5R5KVI2aUgJpZkbFXcLSk7DzOtUGBCpORI/SzaRwg0"));
  EXPECT_FALSE(is_sha256_fingerprint("MD5:5R5KVI2aUgJpZkbFXcLSk7DzOtUGBCpORI/SzaRwg00"));
  EXPECT_FALSE(is_sha256_fingerprint("SHA256:5R5KVI2aUgJpZkbFXcLSk7DzOtUGBCpORI/SzaRwg0!"));
}

}  // namespace
}  // namespace beowulf::cluster
