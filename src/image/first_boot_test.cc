#include "image/first_boot.h"

#include <gtest/gtest.h>

namespace beowulf::image {
namespace {

TEST(FirstBoot, TheHookIsArmedOnceAndTheRestOfTheLineKept) {
  std::string cloned = "console=serial0,115200 root=PARTUUID=4e639091-02 rootwait \n";
  std::string armed = armed_cmdline(cloned);
  EXPECT_EQ(armed, "console=serial0,115200 root=PARTUUID=4e639091-02 rootwait init=/usr/lib/raspberrypi-sys-mods/firstboot\n");
  EXPECT_TRUE(has_first_boot_hook(armed));
  EXPECT_FALSE(has_first_boot_hook(cloned));
  EXPECT_EQ(armed_cmdline(armed), armed);  // a second time changes nothing
  // a longer word that merely starts like the hook is not the hook
  EXPECT_FALSE(has_first_boot_hook("init=/usr/lib/raspberrypi-sys-mods/firstboot2 quiet"));
}

TEST(FirstBoot, StaticAddressesAreCheckedBeforeAnythingIsWritten) {
  auto ok = parse_static_address("192.168.1.11/24", "192.168.1.1", {"192.168.1.1", "9.9.9.9"});
  ASSERT_TRUE(ok.ok()) << ok.error().message();
  EXPECT_EQ(ok->cidr(), "192.168.1.11/24");
  EXPECT_EQ(ok->subnet.str(), "192.168.1.0/24");
  EXPECT_EQ(parse_static_address("192.168.1.11", "", {}).error().message(), "--address '192.168.1.11' has no prefix length");
  EXPECT_EQ(parse_static_address("192.168.1.11/33", "", {}).error().message(),
            "--address '192.168.1.11/33': the prefix length must be 1 to 32");
  EXPECT_EQ(parse_static_address("192.168.1.11/24", "192.168.2.1", {}).error().message(),
            "--gateway 192.168.2.1 is not another address in 192.168.1.0/24");
  EXPECT_EQ(parse_static_address("192.168.1.11/24", "192.168.1.11", {}).error().message(),
            "--gateway 192.168.1.11 is not another address in 192.168.1.0/24");
  auto broadcast = parse_static_address("192.168.1.255/24", "", {});
  ASSERT_FALSE(broadcast.ok());
  EXPECT_EQ(broadcast.error().kind, ErrorKind::bad_input);
}

TEST(FirstBoot, WithoutAPasswordNoPasswordOpensTheAccount) {
  FirstBoot boot{.hostname = "worker001", .user = "pi", .authorized_key = "ssh-ed25519 AAAAkey master"};
  EXPECT_EQ(userconf_txt(boot), "pi:*\n");
  EXPECT_NE(custom_toml(boot).find("password = '*'"), std::string::npos) << custom_toml(boot);
  EXPECT_NE(cloud_user_data(boot).find("    lock_passwd: true\n"), std::string::npos);
  EXPECT_EQ(cloud_network_config(boot), "");  // DHCP stays
  EXPECT_EQ(nm_keyfile(boot, "uuid"), "");
}

TEST(FirstBoot, TheWifiKeyIsWhatWpaPassphrasePrints) {
  auto wifi = make_wifi("IEEE", "password", "GB");  // IEEE 802.11i, annex H.4 test vector
  ASSERT_TRUE(wifi.ok()) << wifi.error().message();
  EXPECT_EQ(wifi->psk, "f42c6fc52df0ebef9ebb4b90b38a5f902e83fe1b135a70e23aed762e9710a12e");
  EXPECT_EQ(make_wifi("IEEE", "short", "GB").error().message(), "the Wi-Fi passphrase must be 8 to 63 characters");
  EXPECT_EQ(make_wifi("IEEE", "password", "").error().message(), "--wifi-country '' is not a country code");
  FirstBoot boot{.hostname = "worker001", .user = "pi", .wifi = *wifi};
  std::string toml = custom_toml(boot);
  EXPECT_NE(toml.find("[wlan]\ncountry = 'GB'\nhidden = false\npassword = 'f42c6fc52df0ebef9ebb4b90b38a5f902e83fe1b135a70e23aed762e9710a12e'\n"
                      "password_encrypted = true\nssid = 'IEEE'\n"),
            std::string::npos)
      << toml;
  EXPECT_NE(nm_wifi_keyfile(boot, "u").find("[wifi-security]\nkey-mgmt=wpa-psk\npsk=f42c6fc5"), std::string::npos);
  EXPECT_NE(cloud_network_config(boot).find("  wifis:\n    wlan0:\n      dhcp4: true\n"), std::string::npos);
}

// A board that joins the cluster over Wi-Fi (a Pi Zero) has its static address there; the
// wired interface keeps DHCP.
TEST(FirstBoot, WithWifiTheStaticAddressIsTheWifis) {
  auto address = parse_static_address("192.168.1.11/24", "192.168.1.1", {"192.168.1.1"});
  ASSERT_TRUE(address.ok());
  FirstBoot boot{.hostname = "worker001", .user = "pi", .address = *address, .wifi = *make_wifi("IEEE", "password", "GB")};
  EXPECT_EQ(cloud_network_config(boot),
            "network:\n  version: 2\n  wifis:\n    wlan0:\n      dhcp4: false\n      addresses: [\"192.168.1.11/24\"]\n"
            "      routes:\n        - to: 0.0.0.0/0\n          via: \"192.168.1.1\"\n"
            "      nameservers:\n        addresses: [\"192.168.1.1\"]\n      regulatory-domain: \"GB\"\n"
            "      access-points:\n        \"IEEE\":\n          password: "
            "\"f42c6fc52df0ebef9ebb4b90b38a5f902e83fe1b135a70e23aed762e9710a12e\"\n");
  EXPECT_EQ(nm_keyfile(boot, "u"), "") << "no wired profile: it would claim the same address";
  EXPECT_NE(nm_wifi_keyfile(boot, "u").find("[ipv4]\nmethod=manual\naddress1=192.168.1.11/24,192.168.1.1\ndns=192.168.1.1;\n"),
            std::string::npos)
      << nm_wifi_keyfile(boot, "u");
}

TEST(FirstBoot, TheHostsBlockIsBeowulfsManagedBlock) {
  EXPECT_EQ(hosts_block({"192.168.1.11 worker001", "192.168.1.12 worker002"}),
            "# BEGIN beowulf\n192.168.1.11 worker001\n192.168.1.12 worker002\n# END beowulf\n");
}

}  // namespace
}  // namespace beowulf::image
