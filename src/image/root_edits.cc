#include "image/root_edits.h"

#include <fmt/core.h>

#include "core/etc_files.h"
#include "core/managed_block.h"
#include "image/first_boot.h"

namespace beowulf::image {

const char* const kHostKeyUnit = R"([Unit]
Description=Install the SSH host key beowulf made for this card (its master knows it)
ConditionPathExists=/etc/beowulf/ssh_host_ed25519_key
After=regenerate_ssh_host_keys.service
Before=ssh.service sshd.service

[Service]
Type=oneshot
ExecStart=/bin/sh -c 'rm -f /etc/ssh/ssh_host_*_key /etc/ssh/ssh_host_*_key.pub && mv /etc/beowulf/ssh_host_ed25519_key /etc/beowulf/ssh_host_ed25519_key.pub /etc/ssh/'

[Install]
WantedBy=multi-user.target
)";

namespace {

constexpr const char* kUnitPath = "/etc/systemd/system/beowulf-host-key.service";
constexpr const char* kWants = "/etc/systemd/system/multi-user.target.wants";

/// The links that enable the units distributions make missing (or all) host keys with.
constexpr const char* kKeyMakerLinks[] = {
    "/etc/systemd/system/multi-user.target.wants/regenerate_ssh_host_keys.service",  // Raspberry Pi OS
    "/etc/systemd/system/multi-user.target.wants/sshdgenkeys.service",               // Arch Linux ARM
};

FileOwner owner_or(ExtFs& fs, const std::string& file, FileOwner fallback) {
  auto owner = fs.owner(file);
  return owner ? FileOwner{owner->mode & 07777, owner->uid, owner->gid} : fallback;
}

Status write(ExtFs& fs, const std::string& file, const std::string& content, FileOwner owner, Changed& changed) {
  if (auto ok = fs.write_file(file, content, owner); !ok) return ok;
  changed.push_back(file);
  return {};
}

Status make_dirs(ExtFs& fs, const std::string& dir) {
  if (dir.empty() || dir == "/" || fs.exists(dir)) return {};
  if (auto ok = make_dirs(fs, dir.substr(0, dir.rfind('/'))); !ok) return ok;
  return fs.make_dir(dir, {0755, 0, 0});
}

}  // namespace

Status set_names(ExtFs& fs, const std::string& hostname, const std::vector<std::string>& hosts, Changed& changed) {
  if (auto ok = write(fs, "/etc/hostname", hostname + "\n", owner_or(fs, "/etc/hostname", {0644, 0, 0}), changed); !ok) return ok;
  auto old = fs.read_file("/etc/hosts");
  std::string text = with_own_name(old ? *old : "127.0.0.1\tlocalhost\n", hostname);
  if (!hosts.empty()) {
    auto with_block = put_block(text, hosts, "/etc/hosts");
    if (!with_block) return with_block.error();
    text = *with_block;
  }
  return write(fs, "/etc/hosts", text, owner_or(fs, "/etc/hosts", {0644, 0, 0}), changed);
}

Status authorize_key(ExtFs& fs, const PasswdEntry& user, const std::string& key, Changed& changed) {
  std::string ssh = user.home + "/.ssh", keys = ssh + "/authorized_keys";
  if (!fs.exists(user.home)) return Error{fmt::format("the user's home {} does not exist in the image", user.home)};
  if (auto ok = fs.make_dir(ssh, {0700, user.uid, user.gid}); !ok) return ok;
  auto old = fs.read_file(keys);
  return write(fs, keys, with_authorized_key(old ? *old : "", key), {0600, user.uid, user.gid}, changed);
}

Status install_host_key(ExtFs& fs, const HostKeyPair& key, bool survive_firstboot, Changed& changed) {
  if (auto ok = make_dirs(fs, "/etc/ssh"); !ok) return ok;
  if (auto names = fs.list_dir("/etc/ssh")) {
    for (const auto& name : *names) {
      if (name.rfind("ssh_host_", 0) != 0 || name.starts_with("ssh_host_ed25519_key")) continue;
      if (auto ok = fs.remove("/etc/ssh/" + name); !ok) return ok;
      changed.push_back("/etc/ssh/" + name);
    }
  }
  if (auto ok = write(fs, "/etc/ssh/ssh_host_ed25519_key", key.private_key, {0600, 0, 0}, changed); !ok) return ok;
  if (auto ok = write(fs, "/etc/ssh/ssh_host_ed25519_key.pub", key.public_key + "\n", {0644, 0, 0}, changed); !ok) return ok;
  if (fs.exists("/etc/machine-id"))
    if (auto ok = write(fs, "/etc/machine-id", "", owner_or(fs, "/etc/machine-id", {0444, 0, 0}), changed); !ok) return ok;
  for (const char* link : kKeyMakerLinks) {
    if (!fs.exists(link)) continue;
    if (auto ok = fs.remove(link); !ok) return ok;
    changed.push_back(link);
  }
  if (!survive_firstboot) return {};
  if (auto ok = make_dirs(fs, "/etc/beowulf"); !ok) return ok;
  if (auto ok = write(fs, "/etc/beowulf/ssh_host_ed25519_key", key.private_key, {0600, 0, 0}, changed); !ok) return ok;
  if (auto ok = write(fs, "/etc/beowulf/ssh_host_ed25519_key.pub", key.public_key + "\n", {0644, 0, 0}, changed); !ok) return ok;
  if (auto ok = make_dirs(fs, kWants); !ok) return ok;
  if (auto ok = write(fs, kUnitPath, kHostKeyUnit, {0644, 0, 0}, changed); !ok) return ok;
  return fs.make_symlink(std::string(kWants) + "/beowulf-host-key.service", kUnitPath);
}

Status allow_sudo_without_password(ExtFs& fs, const std::string& user, Changed& changed) {
  if (!fs.exists("/etc/sudoers.d")) return Error{"the image has no /etc/sudoers.d (is sudo installed?)"};
  // sudo ignores files in sudoers.d whose names hold a '.', and refuses writable ones.
  return write(fs, "/etc/sudoers.d/010_beowulf-nopasswd", sudoers_nopasswd(user), {0440, 0, 0}, changed);
}

Status write_nm_keyfile(ExtFs& fs, const std::string& name, const std::string& keyfile, Changed& changed) {
  if (auto ok = make_dirs(fs, "/etc/NetworkManager/system-connections"); !ok) return ok;
  return write(fs, fmt::format("/etc/NetworkManager/system-connections/{}.nmconnection", name), keyfile, {0600, 0, 0}, changed);
}

}  // namespace beowulf::image
