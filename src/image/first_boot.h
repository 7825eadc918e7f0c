#pragma once
// FirstBoot: what a card should be when it first boots (its name, user, key, address,
// host key, the planned cluster's names), and the files vendor images read at first boot
// to become it: Raspberry Pi OS 12's custom.toml and userconf.txt, cloud-init's NoCloud
// user-data, meta-data and network-config, a NetworkManager keyfile. Pure text: no I/O.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/address.h"
#include "core/result.h"

namespace beowulf::image {

struct StaticAddress {
  Ipv4 address;
  Subnet subnet;                 ///< the address's network, from "/NN"
  std::optional<Ipv4> gateway;   ///< the default route; none: the cluster's network only
  std::vector<Ipv4> dns;
  /// "192.168.1.11/24".
  std::string cidr() const;
};

struct Wifi {
  std::string ssid;
  std::string psk;      ///< the 256-bit key as 64 hex digits, as wpa_passphrase prints it
  std::string country;  ///< "GB": the regulatory domain the radio needs
};

/// `passphrase` (8-63 characters) for `ssid` as WPA's key: PBKDF2-HMAC-SHA1, 4096 rounds,
/// 32 bytes, in hex (what wpa_passphrase prints as psk=). Refuses a bad length, an ssid
/// of 0 or more than 32 bytes, and a country that is not two capital letters.
Result<Wifi> make_wifi(std::string_view ssid, std::string_view passphrase, std::string_view country);

struct FirstBoot {
  std::string hostname;
  std::string user;
  std::string authorized_key;          ///< one public key line
  std::string password_hash;           ///< crypt(3) hash; empty: no password login ("*")
  std::optional<StaticAddress> address;
  std::string host_private_key;        ///< the ed25519 host key made on the master
  std::string host_public_key;
  std::vector<std::string> hosts;      ///< "192.168.1.11 worker001" for every planned node
  std::string instance_id;             ///< cloud-init's: new for each card
  std::optional<Wifi> wifi;            ///< joined with `address` when given (the wired one then keeps DHCP), else DHCP
};

/// Parses --address "192.168.1.11/24" with --gateway and --dns. Refuses a malformed
/// address or prefix, a network or broadcast address, and a gateway or DNS server that
/// is not an address (a gateway outside the subnet is refused: the card could not reach it).
Result<StaticAddress> parse_static_address(std::string_view cidr, std::string_view gateway, const std::vector<std::string>& dns);

/// The password field the image gets: the hash, or "*" (no password opens it; keys do).
std::string password_field(const FirstBoot& boot);

/// Raspberry Pi OS 12 (raspberrypi-sys-mods' init_config): config_version 1, [system]
/// hostname, [user] name and encrypted password, [ssh] enabled with the key, no passwords.
std::string custom_toml(const FirstBoot& boot);

/// userconf.txt for the older first-boot code: "user:hash".
std::string userconf_txt(const FirstBoot& boot);

/// Whether cmdline.txt's line holds the first-boot hook as a word of its own.
bool has_first_boot_hook(std::string_view cmdline);

/// The kernel command line with the first-boot hook (init=/usr/lib/raspberrypi-sys-mods/firstboot)
/// armed: added when a board that booted removed it, kept as is otherwise. One line.
std::string armed_cmdline(std::string_view cmdline);

/// cloud-init NoCloud user-data (#cloud-config): host name, the user with the key and
/// password-less sudo, no password login, the host key (ssh_keys) and no other made, the
/// hosts block appended to /etc/hosts, and /etc/hosts otherwise left alone.
std::string cloud_user_data(const FirstBoot& boot);
/// meta-data: instance-id and local-hostname.
std::string cloud_meta_data(const FirstBoot& boot);
/// network-config version 2 with the static address on the first wired interface and
/// the Wi-Fi network (DHCP); empty without either (cloud-init then keeps DHCP).
std::string cloud_network_config(const FirstBoot& boot);

/// A NetworkManager keyfile (Raspberry Pi OS 12) giving the wired interface the static address.
std::string nm_keyfile(const FirstBoot& boot, std::string_view uuid);
/// A NetworkManager keyfile joining the Wi-Fi network with its key (DHCP); empty without Wi-Fi.
std::string nm_wifi_keyfile(const FirstBoot& boot, std::string_view uuid);

/// The sudoers line that lets `user` use sudo without a password.
std::string sudoers_nopasswd(std::string_view user);

/// The hosts block lines (managed block) for the planned nodes: "# BEGIN beowulf" ... "# END beowulf".
std::string hosts_block(const std::vector<std::string>& hosts);

/// The marker in cmdline.txt that makes Raspberry Pi OS read custom.toml at boot.
inline constexpr std::string_view kFirstBootHook = "init=/usr/lib/raspberrypi-sys-mods/firstboot";

}  // namespace beowulf::image
