// `beowulf image prepare` and `burn` as a user runs them: the real binary, synthetic vendor
// images with the real layouts, the inventory in a BEOWULF_HOME of the test's own.
#include <gtest/gtest.h>

#include <filesystem>

#include "core/inventory.h"
#include "image/test_card.h"
#include "sys/inventory_file.h"
#include "sys/process.h"

namespace beowulf::cli {
namespace {

using image::testing::must_run;
using image::testing::read_text;
using image::testing::write_text;
using Vendor = image::testing::TestCard::Vendor;

const std::string kBeowulf = std::string(BEOWULF_BINARY_DIR) + "/src/cli/beowulf";
constexpr const char* kMasterKey = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMasterKeyOfTheCluster0000 master@beowulf";

class ImagePrepare : public image::testing::TestCard {
 protected:
  void SetUp() override {
    TestCard::SetUp();
    write_text(path("home/.ssh/id_ed25519.pub"), std::string(kMasterKey) + "\n");
  }
  sys::ProcessResult beowulf(std::vector<std::string> args, const std::string& input = {}) {
    args.insert(args.begin(), kBeowulf);
    auto r = sys::run({.argv = args, .env = {{"NO_COLOR", "1"}, {"HOME", path("home")}, {"BEOWULF_HOME", path("home/.beowulf")}},
                       .input = input, .timeout = std::chrono::seconds(120)});
    EXPECT_TRUE(r.ok());
    return r.ok() ? *r : sys::ProcessResult{};
  }
  /// An inventory with a master on 192.168.1.0/24, as `beowulf init` leaves it.
  void make_cluster() {
    write_text(path("home/.beowulf/cluster.toml"),
               "schema = 1\nsubnet = \"192.168.1.0/24\"\n\n[[node]]\nname = \"master\"\naddress = \"192.168.1.10\"\n"
               "user = \"pi\"\nrole = \"master\"\n");
  }
  Inventory inventory() {
    auto inv = sys::load_inventory(path("home/.beowulf/cluster.toml"));
    EXPECT_TRUE(inv.ok()) << inv.error().message();
    return inv.ok() ? *inv : Inventory{};
  }
  std::string root(const std::string& image, const std::string& request) {
    return must_run({"debugfs", "-R", request, vendor_root(image)}).out;
  }
};

TEST_F(ImagePrepare, PreparesARaspberryPiOsCardAndPlansItsNode) {
  make_cluster();
  std::string card = make_vendor_card(Vendor::raspios);
  auto r = beowulf({"image", "prepare", card, "--hostname", "worker001", "--user", "pi", "--address", "192.168.1.11/24",
                    "--gateway", "192.168.1.1", "--password-stdin", "--wifi-ssid", "IEEE", "--wifi-country", "GB"},
                   "a secret\npassword\n");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out.rfind(fmt::format("prepared {} (Raspberry Pi OS 12 (custom.toml), ID=debian) as worker001 at 192.168.1.11/24: "
                                    "boot:custom.toml, boot:userconf.txt, boot:ssh, /etc/hostname, ",
                                    card),
                        0),
            0u)
      << r.out;

  // the planned node: its address, user, and the key the card will show
  Inventory inv = inventory();
  const Node* node = inv.find("worker001");
  ASSERT_NE(node, nullptr);
  EXPECT_TRUE(node->planned);
  EXPECT_EQ(node->address.str(), "192.168.1.11");
  EXPECT_EQ(node->user, "pi");
  write_text(path("card.pub"), root(card, "cat /etc/ssh/ssh_host_ed25519_key.pub"));
  std::string listed = must_run({"ssh-keygen", "-lf", path("card.pub")}).out;
  EXPECT_EQ(listed.substr(listed.find("SHA256:"), node->host_key.size()), node->host_key);
  ASSERT_EQ(node->host_keys.size(), 1u);
  EXPECT_EQ(read_text(path("card.pub")).rfind(node->host_keys[0] + " root@worker001\n", 0), 0u);
  EXPECT_NE(r.out.find(fmt::format("worker001: planned at 192.168.1.11, host key {}\n", node->host_key)), std::string::npos) << r.out;

  // the password only as a yescrypt hash
  std::string userconf = boot_file(card, "userconf.txt");
  EXPECT_EQ(userconf.rfind("pi:$y$", 0), 0u) << userconf;
  EXPECT_EQ(boot_file(card, "custom.toml").find("a secret"), std::string::npos);
  EXPECT_EQ(userconf.find("a secret"), std::string::npos);
  // the Wi-Fi passphrase (the next line) only as WPA's key, for init_config's [wlan]
  EXPECT_NE(boot_file(card, "custom.toml").find("password = 'f42c6fc52df0ebef9ebb4b90b38a5f902e83fe1b135a70e23aed762e9710a12e'"),
            std::string::npos);
}

TEST_F(ImagePrepare, WithoutAClusterTheKeyIsPrintedNotRecorded) {
  std::string card = make_vendor_card(Vendor::cloud_init);
  auto r = beowulf({"image", "prepare", card, "--hostname", "worker002", "--user", "ubuntu"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find(fmt::format("prepared {} (cloud-init (NoCloud), ID=ubuntu) as worker002: boot:user-data, boot:meta-data\n", card)),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("worker002: host key SHA256:"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find(" (not recorded: no cluster here yet, "), std::string::npos) << r.out;
  EXPECT_FALSE(std::filesystem::exists(path("home/.beowulf/cluster.toml")));
}

TEST_F(ImagePrepare, RefusesBadInputBeforeWritingAnything) {
  make_cluster();
  std::string card = make_vendor_card(Vendor::raspios);
  auto refused = [&](std::vector<std::string> args, const std::string& err) {
    auto r = beowulf(args);
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_EQ(r.err, err);
    EXPECT_EQ(r.out, "");
  };
  refused({"image", "prepare", card, "--hostname", "worker001", "--user", "pi", "--address", "192.168.1.11/24", "--gateway", "10.0.0.1"},
          "beowulf: error: --gateway 10.0.0.1 is not another address in 192.168.1.0/24\n"
          "hint: the gateway must be on the card's own network\n");
  refused({"image", "prepare", card, "--hostname", "worker001", "--user", "pi", "--address", "10.1.0.11/24"},
          "beowulf: error: ~/.beowulf/cluster.toml: cannot plan worker001: address: 10.1.0.11 is outside the cluster subnet 192.168.1.0/24\n");
  refused({"image", "prepare", card, "--hostname", "worker001", "--user", "pi", "--gateway", "192.168.1.1"},
          "beowulf: error: --gateway and --dns go with a static address\n"
          "hint: give the card's address too: --address 192.168.1.11/24\n");
  write_text(path("id_ed25519"), "-----BEGIN OPENSSH PRIVATE KEY-----\nb3Blbn\n-----END OPENSSH PRIVATE KEY-----\n");
  refused({"image", "prepare", card, "--hostname", "worker001", "--user", "pi", "--authorized-key", path("id_ed25519")},
          fmt::format("beowulf: error: {}: not an OpenSSH public key\nhint: give the .pub file, e.g. ~/.ssh/id_ed25519.pub\n",
                      path("id_ed25519")));
  refused({"image", "prepare", card, "--hostname", "worker001", "--user", "Pi"},
          "beowulf: error: --user 'Pi' is not a user name\nhint: use lower-case letters, digits, '_' and '-', e.g. pi\n");
  refused({"image", "burn", card, path("a.img"), path("b.img"), "--names", "worker[001-002]", "--addresses", "192.168.1.[11-13]/24"},
          "beowulf: error: --addresses '192.168.1.[11-13]/24' gives 3 addresses for 2 names\n"
          "hint: give one address per name, in the same order\n");
  EXPECT_FALSE(std::filesystem::exists(path("a.img")));
  EXPECT_EQ(boot_file(card, "custom.toml"), "(missing)");
  EXPECT_EQ(inventory().find("worker001"), nullptr);

  std::string unknown = make_vendor_card(Vendor::unknown, "unknown.img");
  auto r = beowulf({"image", "prepare", unknown, "--hostname", "worker001", "--user", "pi"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, fmt::format("beowulf: error: {}: unknown image kind: no ext2/3/4 partition holds a Linux root filesystem (/etc/passwd)\n"
                               "hint: prepare knows Raspberry Pi OS 12, cloud-init images (Ubuntu, Raspberry Pi OS 13) and cards with an ext4 root\n",
                               unknown));
}

TEST_F(ImagePrepare, BurnsCardsWithTheirOwnNamesAddressesKeysAndTheHostsBlock) {
  make_cluster();
  std::string image = make_vendor_card(Vendor::raspios);
  auto r = beowulf({"image", "burn", image, path("a.img"), path("b.img"), "--names", "worker[001-002]", "--addresses",
                    "192.168.1.[11-12]/24", "--user", "pi"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("card 1 of 2: worker001\nwrote "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("burned 2 cards: boot them, then 'beowulf add --planned'\n"), std::string::npos) << r.out;
  std::string hosts = "# BEGIN beowulf\n192.168.1.11 worker001\n192.168.1.12 worker002\n# END beowulf\n";
  for (const auto& [file, name] : {std::pair{"a.img", "worker001"}, std::pair{"b.img", "worker002"}}) {
    EXPECT_NE(boot_file(path(file), "custom.toml").find(fmt::format("hostname = '{}'", name)), std::string::npos);
    EXPECT_NE(root(path(file), "cat /etc/hosts").find(hosts), std::string::npos);
    EXPECT_NE(root(path(file), "cat /etc/sudoers.d/010_beowulf-nopasswd").find("pi ALL=(ALL) NOPASSWD: ALL\n"), std::string::npos);
    must_run({"e2fsck", "-fn", vendor_root(path(file))});
  }
  auto inv = inventory();
  ASSERT_NE(inv.find("worker001"), nullptr);
  ASSERT_NE(inv.find("worker002"), nullptr);
  EXPECT_TRUE(inv.find("worker002")->planned);
  EXPECT_EQ(inv.find("worker002")->address.str(), "192.168.1.12");
  EXPECT_NE(inv.find("worker001")->host_key, inv.find("worker002")->host_key);  // each card its own key
}

TEST_F(ImagePrepare, PersonalizeWithNewHostKeysPlansTheCloneWithTheKeyMadeHere) {
  make_cluster();
  std::string card = make_card();
  auto r = beowulf({"image", "personalize", card, "--hostname", "worker004", "--new-host-keys", "--address", "192.168.1.14/24"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  Inventory inv = inventory();
  const Node* node = inv.find("worker004");
  ASSERT_NE(node, nullptr);
  EXPECT_TRUE(node->planned);
  EXPECT_EQ(node->user, "linaro");
  EXPECT_NE(r.out.find(fmt::format("worker004: planned at 192.168.1.14, host key {}\n", node->host_key)), std::string::npos) << r.out;
  write_text(path("card.pub"), debugfs(card, "cat /etc/ssh/ssh_host_ed25519_key.pub"));
  EXPECT_NE(must_run({"ssh-keygen", "-lf", path("card.pub")}).out.find(node->host_key + " root@worker004"), std::string::npos);
  EXPECT_EQ(node->host_keys, std::vector<std::string>{read_text(path("card.pub")).substr(0, read_text(path("card.pub")).rfind(' '))});
}

}  // namespace
}  // namespace beowulf::cli
