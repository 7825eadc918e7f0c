#pragma once
// Host key fingerprints, as OpenSSH prints them ("SHA256:x0k6X/4k..."), for the
// inventory's record of each node and for the message when a key changed.

#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace beowulf::cluster {

/// The fingerprint of each of `public_keys` ("TYPE BASE64"), in order, computed by the
/// local `ssh-keygen -l`. Fails when ssh-keygen fails or refuses a key.
Result<std::vector<std::string>> fingerprints(const std::vector<std::string>& public_keys);

/// The fingerprint the inventory records: the ed25519 key's (what OpenSSH prefers),
/// else the first key's. `keys` and `prints` are parallel.
std::string recorded_fingerprint(const std::vector<std::string>& keys, const std::vector<std::string>& prints);

/// The fingerprint ssh reports as offered in its "REMOTE HOST IDENTIFICATION HAS
/// CHANGED" warning; empty when it names none.
std::string offered_fingerprint(std::string_view ssh_stderr);

}  // namespace beowulf::cluster
