#include "sim/node_files.h"

#include <gtest/gtest.h>

namespace beowulf::sim {
namespace {

const AccountFiles kHostFiles = {
    "root:x:0:0:root:/root:/bin/bash\n"
    "admin:x:1000:1000:Admin:/home/admin:/bin/bash\n"
    "linaro:x:1500:1500::/home/old:/bin/sh\n",
    "root:*:19000:0:99999:7:::\n"
    "admin:$y$old:19000:0:99999:7:::\n"
    "linaro:!:19000:0:99999:7:::\n",
    "root:x:0:\n"
    "sudo:x:27:admin\n"
    "admin:x:1000:\n"
    "staff:x:1001:\n"
    "linaro:x:1500:\n",
    "root:*::\n"
    "sudo:*::admin\n"
    "admin:!::\n"
    "linaro:!::\n",
};

TEST(NodeFiles, AddsTheBoardUserWithAFreeIdAndSudo) {
  Profile parallella = *profile_named("parallella");
  auto files = with_board_user(kHostFiles, parallella, "$y$hash");
  EXPECT_EQ(files.passwd,
            "root:x:0:0:root:/root:/bin/bash\n"
            "admin:x:1000:1000:Admin:/home/admin:/bin/bash\n"
            "linaro:x:1002:1002:linaro,,,:/home/linaro:/bin/bash\n");
  EXPECT_EQ(files.shadow,
            "root:*:19000:0:99999:7:::\n"
            "admin:$y$old:19000:0:99999:7:::\n"
            "linaro:$y$hash::0:99999:7:::\n");
  EXPECT_EQ(files.group,
            "root:x:0:\n"
            "sudo:x:27:admin,linaro\n"
            "admin:x:1000:\n"
            "staff:x:1001:\n"
            "linaro:x:1002:\n");
  EXPECT_EQ(files.gshadow,
            "root:*::\n"
            "sudo:*::admin,linaro\n"
            "admin:!::\n"
            "linaro:!::\n");
}

TEST(NodeFiles, AddsTheSudoGroupWhenTheHostHasNone) {
  auto files = with_board_user({"root:x:0:0:root:/root:/bin/bash\n", "", "root:x:0:\n", ""},
                               *profile_named("raspberrypi"), "$y$h");
  EXPECT_EQ(files.passwd, "root:x:0:0:root:/root:/bin/bash\npi:x:1000:1000:pi,,,:/home/pi:/bin/bash\n");
  EXPECT_EQ(files.group, "root:x:0:\npi:x:1000:\nsudo:x:27:pi\n");
  EXPECT_EQ(files.gshadow, "pi:!::\nsudo:*::pi\n");
}

TEST(NodeFiles, FindsAUserInPasswd) {
  auto entry = find_user(kHostFiles.passwd, "admin");
  ASSERT_TRUE(entry.has_value());
  EXPECT_EQ(entry->uid, 1000u);
  EXPECT_EQ(entry->gid, 1000u);
  EXPECT_EQ(entry->home, "/home/admin");
  EXPECT_EQ(entry->shell, "/bin/bash");
  EXPECT_FALSE(find_user(kHostFiles.passwd, "nobody").has_value());
}

TEST(NodeFiles, HostsFileMapsTheBoardHostnameToLoopback) {
  std::string hosts = hosts_file(*profile_named("parallella"));
  EXPECT_NE(hosts.find("127.0.0.1\tlocalhost\n"), std::string::npos);
  EXPECT_NE(hosts.find("127.0.1.1\tlinaro-nano\n"), std::string::npos);
  EXPECT_NE(hosts_file(*profile_named("raspberrypi")).find("127.0.1.1\traspberrypi\n"), std::string::npos);
}

TEST(NodeFiles, SshdListensOnTheNodeWithPasswordsOn) {
  std::string config = sshd_config("198.18.0.11");
  EXPECT_NE(config.find("ListenAddress 198.18.0.11\n"), std::string::npos);
  EXPECT_NE(config.find("PasswordAuthentication yes\n"), std::string::npos);
  EXPECT_NE(config.find("PidFile /run/sshd.pid\n"), std::string::npos);
  EXPECT_EQ(config.find("Include"), std::string::npos);  // the host's drop-ins do not apply
}

TEST(Profile, KnowsTheTwoBoards) {
  auto parallella = profile_named("parallella");
  ASSERT_TRUE(parallella.ok());
  EXPECT_EQ(parallella->user, "linaro");
  EXPECT_EQ(parallella->password, "linaro");
  EXPECT_EQ(parallella->hostname, "linaro-nano");
  auto pi = profile_named("raspberrypi");
  ASSERT_TRUE(pi.ok());
  EXPECT_EQ(pi->user, "pi");
  EXPECT_EQ(pi->password, "raspberry");
  EXPECT_EQ(pi->hostname, "raspberrypi");
  EXPECT_EQ(profile_names().front(), "parallella");
}

TEST(Profile, RefusesAnUnknownNameWithASuggestion) {
  auto typo = profile_named("paralella");
  ASSERT_FALSE(typo.ok());
  EXPECT_EQ(typo.error().what, "--profile paralella: no such profile");
  EXPECT_EQ(typo.error().hint, "did you mean 'parallella'?");
  EXPECT_EQ(typo.error().kind, ErrorKind::bad_input);
}

}  // namespace
}  // namespace beowulf::sim
