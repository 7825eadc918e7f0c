#include "image/preparer.h"

#include <gtest/gtest.h>
#include <toml++/toml.h>

#include "image/root_edits.h"
#include "image/test_card.h"
#include "sys/process.h"

namespace beowulf::image {
namespace {

using testing::must_run;
using Vendor = testing::TestCard::Vendor;

constexpr const char* kKey = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMasterKeyOfTheCluster0000 master@beowulf";

class Preparer : public testing::TestCard {
 protected:
  FirstBoot first_boot(const std::string& name = "worker001") {
    auto key = make_host_key(name);
    EXPECT_TRUE(key.ok());
    key_ = *key;
    auto address = parse_static_address("192.168.1.11/24", "192.168.1.1", {"192.168.1.1"});
    EXPECT_TRUE(address.ok());
    return {.hostname = name, .user = "pi", .authorized_key = kKey, .password_hash = "$y$j9T$salt$hash",
            .address = *address, .host_private_key = key_.private_key, .host_public_key = key_.public_key,
            .hosts = {"192.168.1.11 worker001", "192.168.1.12 worker002"}};
  }
  std::string root(const std::string& image, const std::string& request) {
    return must_run({"debugfs", "-R", request, vendor_root(image)}).out;
  }
  /// "0600 0 0": mode, uid and gid of `file` in the root filesystem.
  std::string mode_owner(const std::string& image, const std::string& file) {
    std::string stat = root(image, "stat " + file);
    auto at = [&](const char* key) {
      auto i = stat.find(key);
      if (i == std::string::npos) return std::string("?");
      i += std::strlen(key);
      while (stat[i] == ' ') ++i;
      return stat.substr(i, stat.find_first_of(" \n", i) - i);
    };
    return at("Mode:") + " " + at("User:") + " " + at("Group:");
  }
  void expect_clean(const std::string& image) {
    must_run({"e2fsck", "-fn", vendor_root(image)});
    must_run({"sh", "-c", "dd if=" + image + " of=" + path("boot.part") + " bs=1M skip=1 count=64 conv=sparse status=none"});
    must_run({"fsck.vfat", "-n", path("boot.part")});  // this fsck.vfat has no --offset
  }
  HostKeyPair key_;
};

TEST_F(Preparer, RaspberryPiOs12GetsCustomTomlAndTheHostKeyOnItsRoot) {
  std::string card = make_vendor_card(Vendor::raspios);
  auto result = prepare_card(card, first_boot());
  ASSERT_TRUE(result.ok()) << result.error().message();
  EXPECT_EQ(result->layout.kind, ImageKind::raspios);
  EXPECT_EQ(result->layout.os_id, "debian");
  EXPECT_TRUE(result->layout.hook_armed);
  EXPECT_EQ(result->notes, std::vector<std::string>{});

  // custom.toml: what raspberrypi-sys-mods' init_config reads
  auto config = toml::parse(boot_file(card, "custom.toml"));
  EXPECT_EQ(config["config_version"].value<int64_t>(), 1);
  EXPECT_EQ(config["system"]["hostname"].value<std::string>(), "worker001");
  EXPECT_EQ(config["user"]["name"].value<std::string>(), "pi");
  EXPECT_EQ(config["user"]["password"].value<std::string>(), "$y$j9T$salt$hash");
  EXPECT_EQ(config["user"]["password_encrypted"].value<bool>(), true);
  EXPECT_EQ(config["ssh"]["enabled"].value<bool>(), true);
  EXPECT_EQ(config["ssh"]["password_authentication"].value<bool>(), false);
  ASSERT_TRUE(config["ssh"]["authorized_keys"].is_array());
  EXPECT_EQ(config["ssh"]["authorized_keys"][0].value<std::string>(), kKey);
  EXPECT_EQ(boot_file(card, "userconf.txt"), "pi:$y$j9T$salt$hash\n");
  EXPECT_EQ(boot_file(card, "ssh"), "");
  EXPECT_NE(boot_file(card, "cmdline.txt").find(" quiet init=/usr/lib/raspberrypi-sys-mods/firstboot\n"), std::string::npos);
  EXPECT_EQ(boot_file(card, "config.txt"), "arm_64bit=1\n");

  // the root: the host key (kept through firstboot), names, sudo, the static address
  EXPECT_EQ(root(card, "cat /etc/ssh/ssh_host_ed25519_key"), key_.private_key);
  EXPECT_EQ(root(card, "cat /etc/ssh/ssh_host_ed25519_key.pub"), key_.public_key + "\n");
  EXPECT_EQ(mode_owner(card, "/etc/ssh/ssh_host_ed25519_key"), "0600 0 0");
  EXPECT_EQ(mode_owner(card, "/etc/ssh/ssh_host_ed25519_key.pub"), "0644 0 0");
  EXPECT_EQ(root(card, "ls -l /etc/ssh").find("ssh_host_rsa_key"), std::string::npos);
  EXPECT_EQ(root(card, "cat /etc/beowulf/ssh_host_ed25519_key"), key_.private_key);
  EXPECT_EQ(mode_owner(card, "/etc/beowulf/ssh_host_ed25519_key"), "0600 0 0");
  EXPECT_EQ(root(card, "cat /etc/systemd/system/beowulf-host-key.service"), kHostKeyUnit);
  std::string wants = root(card, "ls /etc/systemd/system/multi-user.target.wants");
  EXPECT_NE(wants.find("beowulf-host-key.service"), std::string::npos) << wants;
  EXPECT_EQ(wants.find("regenerate_ssh_host_keys"), std::string::npos) << wants;
  EXPECT_EQ(root(card, "cat /etc/machine-id"), "");
  EXPECT_EQ(root(card, "cat /etc/hostname"), "worker001\n");
  EXPECT_EQ(root(card, "cat /etc/hosts"),
            "127.0.0.1\tlocalhost\n127.0.1.1\tworker001\n# BEGIN beowulf\n192.168.1.11 worker001\n192.168.1.12 worker002\n# END beowulf\n");
  EXPECT_EQ(root(card, "cat /etc/sudoers.d/010_beowulf-nopasswd").find("pi ALL=(ALL) NOPASSWD: ALL\n") != std::string::npos, true);
  EXPECT_EQ(mode_owner(card, "/etc/sudoers.d/010_beowulf-nopasswd"), "0440 0 0");
  std::string nm = root(card, "cat /etc/NetworkManager/system-connections/beowulf-wired.nmconnection");
  EXPECT_NE(nm.find("[ipv4]\nmethod=manual\naddress1=192.168.1.11/24,192.168.1.1\ndns=192.168.1.1;\n"), std::string::npos) << nm;
  EXPECT_EQ(mode_owner(card, "/etc/NetworkManager/system-connections/beowulf-wired.nmconnection"), "0600 0 0");
  expect_clean(card);
}

// A board on Wi-Fi: custom.toml joins the network and sets the country; the static address
// goes into a Wi-Fi profile that wins over [wlan]'s, and no wired profile claims it too.
TEST_F(Preparer, ARaspberryPiOsCardOnWifiHasItsAddressOnTheWifi) {
  std::string card = make_vendor_card(Vendor::raspios);
  auto boot = first_boot();
  boot.wifi = *make_wifi("IEEE", "password", "GB");
  ASSERT_TRUE(prepare_card(card, boot).ok());
  EXPECT_NE(boot_file(card, "custom.toml").find("[wlan]\ncountry = 'GB'"), std::string::npos);
  std::string nm = root(card, "cat /etc/NetworkManager/system-connections/beowulf-wifi.nmconnection");
  EXPECT_NE(nm.find("autoconnect-priority=100\n"), std::string::npos) << nm;
  EXPECT_NE(nm.find("ssid=IEEE\n"), std::string::npos) << nm;
  EXPECT_NE(nm.find("[ipv4]\nmethod=manual\naddress1=192.168.1.11/24,192.168.1.1\n"), std::string::npos) << nm;
  EXPECT_EQ(mode_owner(card, "/etc/NetworkManager/system-connections/beowulf-wifi.nmconnection"), "0600 0 0");
  EXPECT_EQ(root(card, "ls /etc/NetworkManager/system-connections").find("beowulf-wired"), std::string::npos);
  expect_clean(card);
}

TEST_F(Preparer, AClonedRaspberryPiOsCardGetsItsFirstBootHookBack) {
  std::string card = make_vendor_card(Vendor::raspios_cloned);
  auto result = prepare_card(card, first_boot());
  ASSERT_TRUE(result.ok()) << result.error().message();
  EXPECT_EQ(result->layout.kind, ImageKind::raspios);
  EXPECT_FALSE(result->layout.hook_armed);
  EXPECT_EQ(boot_file(card, "cmdline.txt"),
            "console=serial0,115200 console=tty1 root=PARTUUID=4e639091-02 rootfstype=ext4 fsck.repair=yes rootwait "
            "init=/usr/lib/raspberrypi-sys-mods/firstboot\n");
  EXPECT_EQ(result->notes,
            std::vector<std::string>{"the first-boot hook was gone from cmdline.txt (a card that had booted): armed again"});
  expect_clean(card);
}

TEST_F(Preparer, ACloudInitImageGetsItsNoCloudSeedWithANewInstanceId) {
  std::string card = make_vendor_card(Vendor::cloud_init);
  auto result = prepare_card(card, first_boot());
  ASSERT_TRUE(result.ok()) << result.error().message();
  EXPECT_EQ(result->layout.kind, ImageKind::cloud_init);
  EXPECT_EQ(result->layout.os_id, "ubuntu");
  EXPECT_EQ(result->changed, (std::vector<std::string>{"boot:user-data", "boot:meta-data", "boot:network-config"}));
  std::string meta = boot_file(card, "meta-data");
  EXPECT_EQ(meta.rfind("instance-id: \"beowulf-worker001-", 0), 0u) << meta;
  EXPECT_NE(meta.find("local-hostname: \"worker001\"\n"), std::string::npos);
  std::string user_data = boot_file(card, "user-data");
  EXPECT_EQ(user_data.rfind("#cloud-config\n", 0), 0u);
  EXPECT_NE(user_data.find("manage_etc_hosts: false\n"), std::string::npos);
  EXPECT_NE(user_data.find("    sudo: \"ALL=(ALL) NOPASSWD:ALL\"\n"), std::string::npos);
  EXPECT_NE(user_data.find("  ed25519_public: \"" + key_.public_key + "\"\n"), std::string::npos);
  EXPECT_NE(user_data.find("192.168.1.12 worker002"), std::string::npos);
  EXPECT_NE(boot_file(card, "network-config").find("addresses: [\"192.168.1.11/24\"]"), std::string::npos);
  EXPECT_EQ(root(card, "cat /etc/hostname"), "ubuntu\n");  // cloud-init names it at first boot

  // a second card from the same image gets another instance-id: cloud-init runs again
  ASSERT_TRUE(prepare_card(card, first_boot()).ok());
  EXPECT_NE(boot_file(card, "meta-data"), meta);
  expect_clean(card);
}

TEST_F(Preparer, DebiansCloudInitAcceptsTheSeed) {
  if (sys::find_on_path("cloud-init").empty()) GTEST_SKIP() << "cloud-init is not installed (scripts/install-deps installs it)";
  std::string card = make_vendor_card(Vendor::cloud_init);
  auto boot = first_boot();
  ASSERT_TRUE(prepare_card(card, boot).ok());
  std::string user_data = boot_file(card, "user-data");
  // Debian's own cloud-init reads the user-data as valid
  testing::write_text(path("user-data"), user_data);
  auto schema = must_run({"cloud-init", "schema", "--config-file", path("user-data")});
  EXPECT_NE(schema.out.find("Valid cloud-config"), std::string::npos) << schema.out << schema.err;
  // network-config: cloud-init's own parser (22.4 has no schema for it) must give the static address
  testing::write_text(path("network-config"), boot_file(card, "network-config"));
  auto parsed = must_run({"/usr/bin/python3", "-c",
                          "import sys, yaml\n"
                          "from cloudinit.net import network_state\n"
                          "ns = network_state.parse_net_config_data(yaml.safe_load(open(sys.argv[1]))['network'])\n"
                          "for i in ns.iter_interfaces():\n"
                          "  for s in i['subnets']:\n"
                          "    print(i['name'], s['type'], s['address'], s['prefix'], s['routes'][0]['gateway'], s['dns_nameservers'])\n",
                          path("network-config")});
  EXPECT_EQ(parsed.out, "wired static 192.168.1.11 24 192.168.1.1 ['192.168.1.1']\n");
  // With Wi-Fi the address is the Wi-Fi's. Debian 12's cloud-init parses `wifis:` only by
  // passing it to netplan (as Raspberry Pi OS 13 and Ubuntu do), so here: YAML that says it.
  boot.wifi = *make_wifi("IEEE", "password", "GB");
  testing::write_text(path("network-config"), cloud_network_config(boot));
  auto wifi = must_run({"/usr/bin/python3", "-c",
                        "import sys, yaml\n"
                        "w = yaml.safe_load(open(sys.argv[1]))['network']['wifis']['wlan0']\n"
                        "print(w['addresses'], w['routes'][0]['via'], list(w['access-points']), w['regulatory-domain'])\n",
                        path("network-config")});
  EXPECT_EQ(wifi.out, "['192.168.1.11/24'] 192.168.1.1 ['IEEE'] GB\n");
}

TEST_F(Preparer, AnImageOfNoKnownKindIsRefusedBeforeAnythingIsWritten) {
  std::string card = make_vendor_card(Vendor::unknown);
  auto result = prepare_card(card, first_boot());
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().message(),
            card + ": unknown image kind: no ext2/3/4 partition holds a Linux root filesystem (/etc/passwd)");
  EXPECT_EQ(result.error().hint,
            "prepare knows Raspberry Pi OS 12, cloud-init images (Ubuntu, Raspberry Pi OS 13) and cards with an ext4 root");
  EXPECT_EQ(boot_file(card, "custom.toml"), "(missing)");
}

TEST_F(Preparer, AClonedExtRootGetsTheKeyForItsExistingUser) {
  std::string card = make_card();
  auto boot = first_boot();
  boot.user = "linaro";
  auto result = prepare_card(card, boot);
  ASSERT_TRUE(result.ok()) << result.error().message();
  EXPECT_EQ(result->layout.kind, ImageKind::ext_root);
  EXPECT_EQ(debugfs(card, "cat /home/linaro/.ssh/authorized_keys"), std::string(kKey) + "\n");
  EXPECT_EQ(debugfs(card, "cat /etc/ssh/ssh_host_ed25519_key.pub"), key_.public_key + "\n");
  EXPECT_EQ(result->notes, (std::vector<std::string>{
                               "the image has no /etc/sudoers.d (no sudo?): password-less sudo not set up",
                               "the image has no NetworkManager: give the board 192.168.1.11/24 yourself (or reserve it in your DHCP server)"}));
  boot.user = "pi";
  EXPECT_EQ(prepare_card(card, boot).error().message(), card + ": the image has no user 'pi' in /etc/passwd");
  must_run({"e2fsck", "-fn", root_spec(card)});
}

}  // namespace
}  // namespace beowulf::image
