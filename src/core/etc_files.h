#pragma once
// The few lines of a Linux system's /etc that personalizing a card edits: pure text
// transforms, so they are tested without any filesystem.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"

namespace beowulf {

/// Refuses a host name that is not a valid RFC 1123 label: 1-63 letters, digits and
/// hyphens, not starting or ending with a hyphen.
Status check_hostname(std::string_view name);

/// `hosts` with its `127.0.1.1` line naming `name` (Debian's convention for the host's
/// own name), the line added when there is none. Every other line is kept as it was.
std::string with_own_name(std::string_view hosts, std::string_view name);

struct PasswdEntry {
  uint32_t uid = 0;
  uint32_t gid = 0;
  std::string home;
};

/// The /etc/passwd entry of `user`; nullopt when there is none or it is malformed.
std::optional<PasswdEntry> find_user(std::string_view passwd, std::string_view user);

/// `authorized_keys` with `key` (one line) appended, unless a line already holds it.
std::string with_authorized_key(std::string_view authorized_keys, std::string_view key);

}  // namespace beowulf
