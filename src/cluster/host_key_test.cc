#include "cluster/host_key.h"

#include <gtest/gtest.h>

namespace beowulf::cluster {
namespace {

// A real ed25519 public key, made with ssh-keygen for this test.
constexpr const char* kKey = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIPVFPPcNtRfixPIXmtIfiyE8N0jG5vOvLkfe8BqxhIF2";

TEST(HostKey, FingerprintsWithSshKeygen) {
  auto prints = fingerprints({kKey});
  ASSERT_TRUE(prints.ok()) << prints.error().what;
  ASSERT_EQ(prints->size(), 1u);
  EXPECT_EQ((*prints)[0], "SHA256:5R5KVI2aUgJpZkbFXcLSk7DzOtUGBCpORI/SzaRwg00");
  EXPECT_FALSE(fingerprints({"ssh-ed25519 notakey"}).ok());
}

TEST(HostKey, RecordsTheEd25519Fingerprint) {
  EXPECT_EQ(recorded_fingerprint({"ecdsa-sha2-nistp256 A", "ssh-ed25519 B"}, {"SHA256:a", "SHA256:b"}), "SHA256:b");
  EXPECT_EQ(recorded_fingerprint({"ssh-rsa A"}, {"SHA256:a"}), "SHA256:a");
  EXPECT_EQ(recorded_fingerprint({}, {}), "");
}

TEST(HostKey, ReadsTheOfferedKeyFromSshsWarning) {
  std::string err =
      "@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@\r\n"
      "@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @\r\n"
      "The fingerprint for the ED25519 key sent by the remote host is\r\n"
      "SHA256:x0k6X/4k9ERcQazRdmGwvOacXwARfQo9OGXf0bY1g6Q.\r\n"
      "Host key verification failed.\r\n";
  EXPECT_EQ(offered_fingerprint(err), "SHA256:x0k6X/4k9ERcQazRdmGwvOacXwARfQo9OGXf0bY1g6Q");
  EXPECT_EQ(offered_fingerprint("Connection refused"), "");
}

}  // namespace
}  // namespace beowulf::cluster
