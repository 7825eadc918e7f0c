#pragma once
// Personalizer: makes a cloned card (or image) a node of its own before it first boots,
// by editing its root filesystem through libext2fs, without mounting it: host name,
// the user's authorized key, and (optionally) fresh SSH host keys and machine id.

#include <string>
#include <vector>

#include "core/result.h"

namespace beowulf::image {

struct Personalization {
  std::string hostname;
  std::string user = "linaro";
  std::string authorized_key;  ///< one public key line; empty: none added
  bool new_host_keys = false;
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

/// The unit that makes host keys at first boot, when the image's system has none.
extern const char* const kHostKeysUnit;

}  // namespace beowulf::image
