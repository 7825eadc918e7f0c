#include "image/preparer.h"

#include <fmt/core.h>

#include <fstream>

#include "core/etc_files.h"
#include "image/disk_hold.h"
#include "image/ext_fs.h"
#include "image/fat_fs.h"
#include "image/root_edits.h"

namespace beowulf::image {
namespace {

/// A random UUID from the kernel.
std::string random_uuid() {
  std::ifstream in("/proc/sys/kernel/random/uuid");
  std::string uuid;
  std::getline(in, uuid);
  return uuid;
}

Status write_boot(FatFs& fat, const std::string& name, const std::string& content, PrepareResult& result) {
  if (auto ok = fat.write_file(name, content); !ok) return ok;
  result.changed.push_back("boot:" + name);
  return {};
}

/// The NetworkManager profile that carries the board's address: the Wi-Fi's when it joins
/// one (with the static address, or DHCP), else the wired one's.
Status write_address_keyfile(ExtFs& fs, const FirstBoot& boot, Changed& changed) {
  if (boot.wifi) return write_nm_keyfile(fs, "beowulf-wifi", nm_wifi_keyfile(boot, random_uuid()), changed);
  return write_nm_keyfile(fs, "beowulf-wired", nm_keyfile(boot, random_uuid()), changed);
}

/// Password-less sudo for the user, or a note when the image has no sudo.
Status sudo(ExtFs& fs, const std::string& user, PrepareResult& result) {
  if (fs.exists("/etc/sudoers.d")) return allow_sudo_without_password(fs, user, result.changed);
  result.notes.push_back("the image has no /etc/sudoers.d (no sudo?): password-less sudo not set up");
  return {};
}

Status prepare_raspios(const std::string& path, const FirstBoot& boot, PrepareResult& result) {
  FatFs fat(path, *result.layout.boot);
  auto cmdline = fat.read_file("cmdline.txt");
  if (!cmdline) return cmdline.error();
  auto fs = ExtFs::open(path, result.layout.root, true);
  if (!fs) return fs.error();
  if (auto ok = write_boot(fat, "custom.toml", custom_toml(boot), result); !ok) return ok;
  if (auto ok = write_boot(fat, "userconf.txt", userconf_txt(boot), result); !ok) return ok;
  if (auto ok = write_boot(fat, "ssh", "", result); !ok) return ok;
  if (!result.layout.hook_armed) {
    if (auto ok = write_boot(fat, "cmdline.txt", armed_cmdline(*cmdline), result); !ok) return ok;
    result.notes.push_back("the first-boot hook was gone from cmdline.txt (a card that had booted): armed again");
  }
  HostKeyPair key{boot.host_private_key, boot.host_public_key, {}};
  if (auto ok = set_names(*fs, boot.hostname, boot.hosts, result.changed); !ok) return ok;
  if (auto ok = install_host_key(*fs, key, true, result.changed); !ok) return ok;
  if (auto ok = sudo(*fs, boot.user, result); !ok) return ok;
  // Wi-Fi: custom.toml's [wlan], which init_config turns into a connection (DHCP); a
  // static address goes into a profile of our own, wired or for that network.
  if (boot.address)
    if (auto ok = write_address_keyfile(*fs, boot, result.changed); !ok) return ok;
  return fs->close();
}

Status prepare_cloud_init(const std::string& path, const FirstBoot& boot, PrepareResult& result) {
  FatFs fat(path, *result.layout.boot);
  if (auto ok = write_boot(fat, "user-data", cloud_user_data(boot), result); !ok) return ok;
  if (auto ok = write_boot(fat, "meta-data", cloud_meta_data(boot), result); !ok) return ok;
  if (boot.address || boot.wifi)
    if (auto ok = write_boot(fat, "network-config", cloud_network_config(boot), result); !ok) return ok;
  return {};
}

Status prepare_ext_root(const std::string& path, const FirstBoot& boot, PrepareResult& result) {
  auto fs = ExtFs::open(path, result.layout.root, true);
  if (!fs) return fs.error();
  auto passwd = fs->read_file("/etc/passwd");
  if (!passwd) return passwd.error();
  auto user = find_user(*passwd, boot.user);
  if (!user)
    return bad_input(fmt::format("{}: the image has no user '{}' in /etc/passwd", path, boot.user), "name the image's user with --user");
  HostKeyPair key{boot.host_private_key, boot.host_public_key, {}};
  if (auto ok = set_names(*fs, boot.hostname, boot.hosts, result.changed); !ok) return ok;
  if (auto ok = authorize_key(*fs, *user, boot.authorized_key, result.changed); !ok) return ok;
  if (auto ok = install_host_key(*fs, key, false, result.changed); !ok) return ok;
  if (auto ok = sudo(*fs, boot.user, result); !ok) return ok;
  bool nm = fs->exists("/etc/NetworkManager");
  if ((boot.address || boot.wifi) && nm)
    if (auto ok = write_address_keyfile(*fs, boot, result.changed); !ok) return ok;
  if (boot.address && !nm)
    result.notes.push_back(fmt::format("the image has no NetworkManager: give the board {} yourself (or reserve it in your DHCP server)",
                                       boot.address->cidr()));
  if (boot.wifi && !nm) result.notes.push_back("the image has no NetworkManager: its Wi-Fi was not set up");
  return fs->close();
}

}  // namespace

Status check_user_name(const std::string& user) {
  bool ok = !user.empty() && user.size() <= 32 && (std::islower(static_cast<unsigned char>(user[0])) || user[0] == '_');
  for (char c : user) ok = ok && (std::islower(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)) || c == '_' || c == '-');
  if (ok) return {};
  return bad_input(fmt::format("--user '{}' is not a user name", user), "use lower-case letters, digits, '_' and '-', e.g. pi");
}

std::string new_instance_id(const std::string& hostname) {
  return fmt::format("beowulf-{}-{}", hostname, random_uuid().substr(0, 8));
}

Result<PrepareResult> prepare_card(const std::string& path, FirstBoot boot) {
  if (auto ok = check_hostname(boot.hostname); !ok) return ok.error();
  if (auto ok = check_user_name(boot.user); !ok) return ok.error();
  if (boot.authorized_key.empty()) return bad_input("no key to authorize for the card's user");
  if (boot.host_private_key.empty() || boot.host_public_key.empty()) return Error{"no host key made for the card"};
  if (boot.instance_id.empty()) boot.instance_id = new_instance_id(boot.hostname);
  auto hold = DiskHold::take(path);  // held until every file is written
  if (!hold) return hold.error();
  auto layout = detect_image(path);
  if (!layout) return layout.error();
  PrepareResult result{.layout = *layout};
  Status done;
  switch (layout->kind) {
    case ImageKind::raspios: done = prepare_raspios(path, boot, result); break;
    case ImageKind::cloud_init: done = prepare_cloud_init(path, boot, result); break;
    case ImageKind::ext_root: done = prepare_ext_root(path, boot, result); break;
  }
  if (!done) return done.error();
  return result;
}

}  // namespace beowulf::image
