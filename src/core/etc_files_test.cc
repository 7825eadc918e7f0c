#include "core/etc_files.h"

#include <gtest/gtest.h>

namespace beowulf {
namespace {

TEST(EtcFiles, ChecksHostnames) {
  EXPECT_TRUE(check_hostname("worker004").ok());
  EXPECT_EQ(check_hostname("-bad").error().message(), "'-bad' is not a valid host name");
  EXPECT_EQ(check_hostname("a_b").error().hint, "use 1-63 letters, digits and hyphens, e.g. worker004");
  EXPECT_EQ(check_hostname(std::string(64, 'a')).error().kind, ErrorKind::bad_input);
}

TEST(EtcFiles, ReplacesTheOwnNameLineAndKeepsTheRest) {
  EXPECT_EQ(with_own_name("127.0.0.1\tlocalhost\n127.0.1.1\tlinaro-nano\n::1 localhost\n", "worker004"),
            "127.0.0.1\tlocalhost\n127.0.1.1\tworker004\n::1 localhost\n");
  EXPECT_EQ(with_own_name("127.0.0.1 localhost", "worker004"), "127.0.0.1 localhost\n127.0.1.1\tworker004\n");
  EXPECT_EQ(with_own_name("127.0.1.10 other\n", "w"), "127.0.1.10 other\n127.0.1.1\tw\n");
}

TEST(EtcFiles, FindsAUserInPasswd) {
  std::string passwd = "root:x:0:0:root:/root:/bin/bash\nlinaro:x:1000:1001:Linaro:/home/linaro:/bin/bash\n";
  auto linaro = find_user(passwd, "linaro");
  ASSERT_TRUE(linaro);
  EXPECT_EQ(linaro->uid, 1000u);
  EXPECT_EQ(linaro->gid, 1001u);
  EXPECT_EQ(linaro->home, "/home/linaro");
  EXPECT_FALSE(find_user(passwd, "pi"));
  EXPECT_FALSE(find_user("pi:x:abc:1000::/home/pi:/bin/sh\n", "pi"));
}

TEST(EtcFiles, AddsAnAuthorizedKeyOnce) {
  std::string once = with_authorized_key("", "ssh-ed25519 AAAA master\n");
  EXPECT_EQ(once, "ssh-ed25519 AAAA master\n");
  EXPECT_EQ(with_authorized_key(once, "ssh-ed25519 AAAA master"), once);
  EXPECT_EQ(with_authorized_key("ssh-rsa B old", "ssh-ed25519 AAAA master"), "ssh-rsa B old\nssh-ed25519 AAAA master\n");
}

}  // namespace
}  // namespace beowulf
