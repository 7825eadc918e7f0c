#include "image/personalizer.h"

#include <gtest/gtest.h>

#include "image/host_key_pair.h"
#include "image/test_card.h"

namespace beowulf::image {
namespace {

using testing::must_run;

class Personalizer : public testing::TestCard {
 protected:
  /// "Mode:  0600" and "User:  1000   Group:  1001" of `file`, from debugfs stat.
  std::string mode_and_owner(const std::string& image, const std::string& file) {
    std::string stat = debugfs(image, "stat " + file);
    auto mode = stat.find("Mode:");
    auto user = stat.find("User:");
    auto project = stat.find("   Project:");
    if (mode == std::string::npos || user == std::string::npos || project == std::string::npos) return stat;
    return stat.substr(mode, 11) + " " + stat.substr(user, project - user);
  }
};

constexpr const char* kKey = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMaster master@beowulf";

TEST_F(Personalizer, SetsHostnameAndAuthorizesTheKey) {
  std::string card = make_card();
  auto result = personalize(card, {.hostname = "worker004", .user = "linaro", .authorized_key = kKey});
  ASSERT_TRUE(result.ok()) << result.error().message();
  EXPECT_EQ(result->root_offset, kRootStart);
  EXPECT_EQ(result->changed, (std::vector<std::string>{"/etc/hostname", "/etc/hosts", "/home/linaro/.ssh/authorized_keys"}));
  EXPECT_EQ(debugfs(card, "cat /etc/hostname"), "worker004\n");
  EXPECT_EQ(debugfs(card, "cat /etc/hosts"), "127.0.0.1\tlocalhost\n127.0.1.1\tworker004\n");
  EXPECT_EQ(debugfs(card, "cat /home/linaro/.ssh/authorized_keys"), std::string(kKey) + "\n");
  EXPECT_EQ(mode_and_owner(card, "/home/linaro/.ssh"), "Mode:  0700 User:  1000   Group:  1001");
  EXPECT_EQ(mode_and_owner(card, "/home/linaro/.ssh/authorized_keys"), "Mode:  0600 User:  1000   Group:  1001");
  EXPECT_EQ(mode_and_owner(card, "/etc/hostname"), "Mode:  0644 User:     0   Group:     0");
  must_run({"e2fsck", "-fn", root_spec(card)});

  // a second run changes nothing more: the key is not added twice
  ASSERT_TRUE(personalize(card, {.hostname = "worker004", .user = "linaro", .authorized_key = kKey}).ok());
  EXPECT_EQ(debugfs(card, "cat /home/linaro/.ssh/authorized_keys"), std::string(kKey) + "\n");
}

TEST_F(Personalizer, NewHostKeysAreTheOneMadeOnTheMaster) {
  std::string card = make_card();
  auto key = make_host_key("worker005");
  ASSERT_TRUE(key.ok()) << key.error().message();
  EXPECT_EQ(key->fingerprint.rfind("SHA256:", 0), 0u);
  EXPECT_EQ(key->key_only().rfind("ssh-ed25519 AAAA", 0), 0u);
  EXPECT_EQ(key->key_only().find(' ', 12), std::string::npos);  // no comment
  auto result = personalize(card, {.hostname = "worker005", .host_key = *key});
  ASSERT_TRUE(result.ok()) << result.error().message();
  EXPECT_EQ(result->changed,
            (std::vector<std::string>{"/etc/hostname", "/etc/hosts", "/etc/ssh/ssh_host_ed25519_key",
                                      "/etc/ssh/ssh_host_ed25519_key.pub", "/etc/machine-id"}));
  EXPECT_EQ(debugfs(card, "cat /etc/ssh/ssh_host_ed25519_key"), key->private_key);
  EXPECT_EQ(debugfs(card, "cat /etc/ssh/ssh_host_ed25519_key.pub"), key->public_key + "\n");
  EXPECT_EQ(mode_and_owner(card, "/etc/ssh/ssh_host_ed25519_key"), "Mode:  0600 User:     0   Group:     0");
  EXPECT_EQ(debugfs(card, "cat /etc/machine-id"), "");
  EXPECT_NE(debugfs(card, "ls /etc/ssh").find("sshd_config"), std::string::npos);
  // the public key on the card is the one whose fingerprint the master recorded
  image::testing::write_text(path("card.pub"), debugfs(card, "cat /etc/ssh/ssh_host_ed25519_key.pub"));
  EXPECT_NE(must_run({"ssh-keygen", "-lf", path("card.pub")}).out.find(key->fingerprint + " root@worker005 (ED25519)"),
            std::string::npos);
  must_run({"e2fsck", "-fn", root_spec(card)});
}

TEST_F(Personalizer, RefusesBeforeChangingAnything) {
  std::string card = make_card();
  auto bad_name = personalize(card, {.hostname = "worker_4"});
  EXPECT_EQ(bad_name.error().message(), "'worker_4' is not a valid host name");
  auto no_user = personalize(card, {.hostname = "worker004", .user = "pi", .authorized_key = kKey});
  EXPECT_EQ(no_user.error().message(), card + ": the image has no user 'pi' in /etc/passwd");
  EXPECT_EQ(no_user.error().hint, "name the image's user with --user");
  EXPECT_EQ(debugfs(card, "cat /etc/hostname"), "linaro-nano\n");
}

TEST_F(Personalizer, RefusesAJournalThatNeedsRecovery) {
  std::string card = make_card();
  must_run({"debugfs", "-w", "-R", "feature needs_recovery", root_spec(card)});
  auto result = personalize(card, {.hostname = "worker004"});
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().message(),
            fmt::format("{} (partition at byte {}): the filesystem's journal needs recovery: it was not cleanly unmounted", card,
                        kRootStart));
}

TEST_F(Personalizer, RefusesFeaturesThisLibraryCannotWrite) {
  std::string card = make_card();
  std::string where = fmt::format("{} (partition at byte {})", card, kRootStart);
  // A read-only-compatible feature bit no libext2fs knows (bit 31): readable, not writable.
  must_run({"debugfs", "-w", "-R", "ssv feature_ro_compat 0x8000046b", root_spec(card)});
  auto result = personalize(card, {.hostname = "worker004"});
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().message(),
            where + ": the filesystem uses features this libext2fs cannot write (Filesystem has unsupported read-only feature(s))");
  // An incompatible one: not even readable.
  card = make_card("other.img");
  where = fmt::format("{} (partition at byte {})", card, kRootStart);
  must_run({"debugfs", "-w", "-R", "ssv feature_incompat 0x800002c2", root_spec(card)});
  result = personalize(card, {.hostname = "worker004"});
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().message(),
            where + ": the filesystem uses features this libext2fs cannot read (Filesystem has unsupported feature(s))");
  EXPECT_EQ(result.error().hint, "update e2fsprogs (libext2fs) on this machine");
}

TEST_F(Personalizer, RefusesAnImageWithoutLinux) {
  std::string image = path("blank.img");
  must_run({"truncate", "-s", "8M", image});
  must_run({"mkfs.ext4", "-q", "-F", image});
  EXPECT_EQ(personalize(image, {.hostname = "worker004"}).error().message(),
            image + ": no ext2/3/4 partition holds /etc/passwd: it is not a Linux root filesystem");
}

}  // namespace
}  // namespace beowulf::image
