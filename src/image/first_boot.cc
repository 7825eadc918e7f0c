#include "image/first_boot.h"

#include <fmt/core.h>
#include <toml++/toml.h>

#include <openssl/evp.h>

#include <sstream>

#include "core/managed_block.h"

namespace beowulf::image {
namespace {

/// A YAML double-quoted scalar.
std::string quoted(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

/// `text` as a YAML literal block, each line indented by `indent` spaces.
std::string literal_block(std::string_view text, int indent) {
  std::string out = "|\n";
  std::istringstream in{std::string(text)};
  for (std::string line; std::getline(in, line);) out += std::string(static_cast<size_t>(indent), ' ') + line + "\n";
  return out;
}

}  // namespace

std::string StaticAddress::cidr() const { return fmt::format("{}/{}", address.str(), subnet.prefix); }

Result<StaticAddress> parse_static_address(std::string_view cidr, std::string_view gateway, const std::vector<std::string>& dns) {
  auto slash = cidr.find('/');
  if (slash == std::string_view::npos)
    return bad_input(fmt::format("--address '{}' has no prefix length", cidr), "write it like 192.168.1.11/24");
  auto address = parse_ipv4(cidr.substr(0, slash));
  if (!address) return address.error();
  std::string_view prefix_text = cidr.substr(slash + 1);
  int prefix = -1;
  if (!prefix_text.empty() && prefix_text.size() <= 2 && prefix_text.find_first_not_of("0123456789") == std::string_view::npos)
    prefix = std::stoi(std::string(prefix_text));
  if (prefix < 1 || prefix > 32)
    return bad_input(fmt::format("--address '{}': the prefix length must be 1 to 32", cidr), "write it like 192.168.1.11/24");
  StaticAddress out{*address, subnet_of(*address, prefix)};
  if (auto ok = check_node_address(out.address, out.subnet); !ok) return ok.error();
  if (!gateway.empty()) {
    auto g = parse_ipv4(gateway);
    if (!g) return g.error();
    if (!out.subnet.contains(*g) || *g == out.address)
      return bad_input(fmt::format("--gateway {} is not another address in {}", gateway, out.subnet.str()),
                       "the gateway must be on the card's own network");
    out.gateway = *g;
  }
  for (const auto& server : dns) {
    auto d = parse_ipv4(server);
    if (!d) return d.error();
    out.dns.push_back(*d);
  }
  return out;
}

Result<Wifi> make_wifi(std::string_view ssid, std::string_view passphrase, std::string_view country) {
  if (ssid.empty() || ssid.size() > 32 || ssid.find_first_of("\n;") != std::string_view::npos)
    return bad_input(fmt::format("--wifi-ssid '{}' must be 1 to 32 bytes, without ';' or a newline", ssid));
  if (passphrase.size() < 8 || passphrase.size() > 63)
    return bad_input("the Wi-Fi passphrase must be 8 to 63 characters", "give it on standard input, one line");
  if (country.size() != 2 || !std::isupper(static_cast<unsigned char>(country[0])) || !std::isupper(static_cast<unsigned char>(country[1])))
    return bad_input(fmt::format("--wifi-country '{}' is not a country code", country), "write it like GB, US or DE");
  unsigned char key[32];
  std::string pass(passphrase), salt(ssid);
  if (PKCS5_PBKDF2_HMAC_SHA1(pass.data(), static_cast<int>(pass.size()), reinterpret_cast<const unsigned char*>(salt.data()),
                             static_cast<int>(salt.size()), 4096, sizeof key, key) != 1)
    return Error{"derive the Wi-Fi key: libcrypto failed"};
  std::string hex;
  for (unsigned char b : key) hex += fmt::format("{:02x}", b);
  return Wifi{std::string(ssid), hex, std::string(country)};
}

std::string password_field(const FirstBoot& boot) { return boot.password_hash.empty() ? "*" : boot.password_hash; }

std::string custom_toml(const FirstBoot& boot) {
  toml::table system{{"hostname", boot.hostname}};
  toml::table user{{"name", boot.user}, {"password", password_field(boot)}, {"password_encrypted", true}};
  toml::table ssh{{"enabled", true}, {"password_authentication", false},
                  {"authorized_keys", toml::array{boot.authorized_key}}};
  toml::table config{{"config_version", 1}, {"system", system}, {"user", user}, {"ssh", ssh}};
  if (boot.wifi)
    config.insert("wlan", toml::table{{"ssid", boot.wifi->ssid}, {"password", boot.wifi->psk}, {"password_encrypted", true},
                                      {"hidden", false}, {"country", boot.wifi->country}});
  std::ostringstream out;
  out << "# Written by beowulf image prepare: read once, at first boot, by raspberrypi-sys-mods' init_config.\n"
      << config << "\n";
  return out.str();
}

std::string userconf_txt(const FirstBoot& boot) { return fmt::format("{}:{}\n", boot.user, password_field(boot)); }

bool has_first_boot_hook(std::string_view cmdline) {
  std::istringstream words{std::string(cmdline.substr(0, cmdline.find('\n')))};
  for (std::string word; words >> word;)
    if (word == kFirstBootHook) return true;
  return false;
}

std::string armed_cmdline(std::string_view cmdline) {
  std::string line(cmdline.substr(0, cmdline.find('\n')));
  while (!line.empty() && (line.back() == ' ' || line.back() == '\r')) line.pop_back();
  if (has_first_boot_hook(line)) return line + "\n";
  return line + (line.empty() ? "" : " ") + std::string(kFirstBootHook) + "\n";
}

std::string cloud_user_data(const FirstBoot& boot) {
  std::string out = "#cloud-config\n# Written by beowulf image prepare.\n";
  out += fmt::format("hostname: {}\npreserve_hostname: false\n", quoted(boot.hostname));
  out += "manage_etc_hosts: false\n";  // true would rewrite /etc/hosts, and beowulf's block, at every boot
  out += "users:\n";
  out += fmt::format("  - name: {}\n", quoted(boot.user));
  out += "    groups: [adm, sudo]\n    shell: /bin/bash\n";
  out += "    sudo: \"ALL=(ALL) NOPASSWD:ALL\"\n";
  if (boot.password_hash.empty()) out += "    lock_passwd: true\n";
  else out += fmt::format("    lock_passwd: false\n    hashed_passwd: {}\n", quoted(boot.password_hash));
  out += fmt::format("    ssh_authorized_keys:\n      - {}\n", quoted(boot.authorized_key));
  out += "ssh_pwauth: false\n";
  // the old keys go; of the types to make only ed25519 is named, and cloud-init makes no key it was given
  out += "ssh_deletekeys: true\nssh_genkeytypes: [ed25519]\n";
  out += "ssh_keys:\n";
  out += "  ed25519_private: " + literal_block(boot.host_private_key, 4);
  out += fmt::format("  ed25519_public: {}\n", quoted(boot.host_public_key));
  if (!boot.hosts.empty()) {
    out += "write_files:\n  - path: /etc/hosts\n    append: true\n    content: " + literal_block(hosts_block(boot.hosts), 6);
  }
  return out;
}

std::string cloud_meta_data(const FirstBoot& boot) {
  return fmt::format("instance-id: {}\nlocal-hostname: {}\n", quoted(boot.instance_id), quoted(boot.hostname));
}

namespace {

/// A network-config v2 interface's IPv4 settings (at 6 spaces): `address`, or DHCP.
std::string cloud_ipv4(const std::optional<StaticAddress>& address) {
  if (!address) return "      dhcp4: true\n";
  const auto& a = *address;
  std::string out = fmt::format("      dhcp4: false\n      addresses: [{}]\n", quoted(a.cidr()));
  if (a.gateway) out += fmt::format("      routes:\n        - to: 0.0.0.0/0\n          via: {}\n", quoted(a.gateway->str()));
  if (!a.dns.empty()) {
    std::string servers;
    for (const auto& d : a.dns) servers += (servers.empty() ? "" : ", ") + quoted(d.str());
    out += fmt::format("      nameservers:\n        addresses: [{}]\n", servers);
  }
  return out;
}

/// A NetworkManager keyfile's [ipv4] and [ipv6] sections: `address`, or DHCP.
std::string nm_ip(const std::optional<StaticAddress>& address) {
  if (!address) return "[ipv4]\nmethod=auto\n\n[ipv6]\nmethod=auto\n";
  const auto& a = *address;
  std::string out = fmt::format("[ipv4]\nmethod=manual\naddress1={}{}\n", a.cidr(), a.gateway ? "," + a.gateway->str() : "");
  if (!a.dns.empty()) {
    out += "dns=";
    for (const auto& d : a.dns) out += d.str() + ";";
    out += "\n";
  }
  return out + "\n[ipv6]\nmethod=auto\n";
}

}  // namespace

std::string cloud_network_config(const FirstBoot& boot) {
  if (!boot.address && !boot.wifi) return {};
  std::string out = "network:\n  version: 2\n";
  if (!boot.wifi) return out + "  ethernets:\n    wired:\n      match:\n        name: \"e*\"\n" + cloud_ipv4(boot.address);
  return out + "  wifis:\n    wlan0:\n" + cloud_ipv4(boot.address) +
         fmt::format("      regulatory-domain: {}\n      access-points:\n        {}:\n          password: {}\n",
                     quoted(boot.wifi->country), quoted(boot.wifi->ssid), quoted(boot.wifi->psk));
}

std::string nm_keyfile(const FirstBoot& boot, std::string_view uuid) {
  if (!boot.address || boot.wifi) return {};
  return fmt::format("# Written by beowulf image prepare.\n[connection]\nid=beowulf-wired\nuuid={}\ntype=ethernet\n"
                     "autoconnect=true\nautoconnect-priority=100\n\n[ethernet]\n\n{}",
                     uuid, nm_ip(boot.address));
}

std::string nm_wifi_keyfile(const FirstBoot& boot, std::string_view uuid) {
  if (!boot.wifi) return {};
  // Priority 100: on Raspberry Pi OS this profile, with the address, wins over the one
  // custom.toml's [wlan] makes for the same network (which still sets the country).
  return fmt::format("# Written by beowulf image prepare.\n[connection]\nid=beowulf-wifi\nuuid={}\ntype=wifi\n"
                     "autoconnect=true\nautoconnect-priority=100\n\n"
                     "[wifi]\nmode=infrastructure\nssid={}\n\n[wifi-security]\nkey-mgmt=wpa-psk\npsk={}\n\n{}",
                     uuid, boot.wifi->ssid, boot.wifi->psk, nm_ip(boot.address));
}

std::string sudoers_nopasswd(std::string_view user) {
  return fmt::format("# Written by beowulf image prepare: the cluster's user needs no password for sudo.\n"
                     "{} ALL=(ALL) NOPASSWD: ALL\n", user);
}

std::string hosts_block(const std::vector<std::string>& hosts) {
  auto block = put_block("", hosts, "/etc/hosts");
  return block ? *block : std::string();
}

}  // namespace beowulf::image
