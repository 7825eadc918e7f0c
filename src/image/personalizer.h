#pragma once
// Personalizer: makes a cloned card (or image) a node of its own before it first boots,
// by editing its root filesystem through libext2fs, without mounting it: host name,
// the user's authorized key, and (optionally) its own SSH host key, made on the master.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "image/host_key_pair.h"

namespace beowulf::image {

struct Personalization {
  std::string hostname;
  std::string user = "linaro";
  std::string authorized_key;  ///< one public key line; empty: none added
  /// A host key made on the master (host_key_pair.h): replaces every host key of the
  /// image (a clone's are its original's), and /etc/machine-id is emptied; empty: kept.
  std::optional<HostKeyPair> host_key;
};

struct PersonalizeResult {
  uint64_t root_offset = 0;           ///< the byte where the root filesystem starts
  std::vector<std::string> changed;   ///< "/etc/hostname", ...: what was written or removed
  std::vector<std::string> notes;     ///< things the user should know
};

/// Personalizes the root filesystem (the ext partition holding /etc/passwd) of `path`.
/// Refuses, before changing anything, a bad host name, an unknown user, a filesystem
/// whose journal needs recovery or with features libext2fs cannot write.
Result<PersonalizeResult> personalize(const std::string& path, const Personalization& what);

}  // namespace beowulf::image
