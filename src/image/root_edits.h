#pragma once
// The edits `prepare`, `personalize` and `burn` make to a card's ext root filesystem
// (through libext2fs, not mounted): each writes its files with the modes and owners the
// system expects and appends what it wrote to `changed`.

#include <string>
#include <vector>

#include "core/etc_files.h"
#include "core/result.h"
#include "image/ext_fs.h"
#include "image/host_key_pair.h"

namespace beowulf::image {

using Changed = std::vector<std::string>;

/// /etc/hostname, and /etc/hosts with 127.0.1.1 naming it and (when `hosts` is not empty)
/// the planned cluster's managed block.
Status set_names(ExtFs& fs, const std::string& hostname, const std::vector<std::string>& hosts, Changed& changed);

/// Adds `key` to `user`'s ~/.ssh/authorized_keys (0600, ~/.ssh 0700, both the user's),
/// unless it is there. Fails when the user's home does not exist.
Status authorize_key(ExtFs& fs, const PasswdEntry& user, const std::string& key, Changed& changed);

/// Replaces every SSH host key in /etc/ssh with `key` (0600 root, .pub 0644), empties
/// /etc/machine-id, and keeps the distribution from making new keys at boot (its
/// regenerate unit is disabled). With `survive_firstboot` (Raspberry Pi OS, whose
/// first-boot script remakes the keys), a copy waits in /etc/beowulf and a unit puts it
/// back before ssh starts.
Status install_host_key(ExtFs& fs, const HostKeyPair& key, bool survive_firstboot, Changed& changed);

/// /etc/sudoers.d/010_beowulf-nopasswd (0440 root): `user` may sudo without a password.
Status allow_sudo_without_password(ExtFs& fs, const std::string& user, Changed& changed);

/// A NetworkManager keyfile (0600 root): /etc/NetworkManager/system-connections/NAME.nmconnection.
Status write_nm_keyfile(ExtFs& fs, const std::string& name, const std::string& keyfile, Changed& changed);

/// The unit that puts a Raspberry Pi OS card's planned host key back after first boot.
extern const char* const kHostKeyUnit;

}  // namespace beowulf::image
