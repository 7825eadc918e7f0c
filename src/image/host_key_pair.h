#pragma once
// HostKeyPair: an SSH host key made on the master for a card, before the card first boots,
// so that the master knows (and `add` pins) the key the board will show.

#include <string>

#include "core/result.h"

namespace beowulf::image {

struct HostKeyPair {
  std::string private_key;  ///< the OpenSSH private key file's text (unencrypted, as sshd needs)
  std::string public_key;   ///< "ssh-ed25519 AAAA... root@worker001", the .pub file's line
  std::string fingerprint;  ///< "SHA256:..."

  /// "ssh-ed25519 AAAA...": the public key without its comment, as the inventory keeps it.
  std::string key_only() const;
};

/// Makes an ed25519 host key for `hostname` with ssh-keygen, in a private temporary
/// folder that is removed afterwards. Fails when ssh-keygen is missing or fails.
Result<HostKeyPair> make_host_key(const std::string& hostname);

}  // namespace beowulf::image
