#pragma once
// Preparer: `image prepare`: writes a card's first-boot settings where its kind of image
// reads them (image_kind.h), without mounting anything, so that the board boots straight
// into the cluster: its name, its user with the master's key and password-less sudo, its
// address, the planned cluster's hosts block, and the host key made on the master.

#include <string>
#include <vector>

#include "core/result.h"
#include "image/first_boot.h"
#include "image/host_key_pair.h"
#include "image/image_kind.h"

namespace beowulf::image {

struct PrepareResult {
  ImageLayout layout;
  std::vector<std::string> changed;  ///< "boot:custom.toml", "/etc/ssh/ssh_host_ed25519_key", ...
  std::vector<std::string> notes;    ///< things the user should know
};

/// Checks `boot` (host name, user name, key, host key), holds a card exclusively
/// (disk_hold.h), detects the kind of `path`, and writes:
///  - raspios: custom.toml, userconf.txt, ssh and cmdline.txt with the first-boot hook
///    armed on the boot partition; the host key (kept through first boot), names, hosts
///    block, sudoers and a NetworkManager keyfile (with an address) on the root;
///  - cloud_init: user-data, meta-data (a new instance-id) and network-config (with an
///    address) on the boot partition;
///  - ext_root: names, hosts block, the user's authorized key, host key, sudoers and a
///    NetworkManager keyfile when the image has NetworkManager.
/// Refuses, before writing anything, bad input, an unknown kind, and (ext_root) a user
/// the image does not have.
Result<PrepareResult> prepare_card(const std::string& path, FirstBoot boot);

/// Refuses a user name that useradd would refuse: [a-z_][a-z0-9_-]*, at most 32.
Status check_user_name(const std::string& user);

/// "beowulf-worker001-1a2b3c4d": a fresh cloud-init instance-id for a card.
std::string new_instance_id(const std::string& hostname);

}  // namespace beowulf::image
