#pragma once
// A login password as /etc/shadow keeps it: a crypt(3) hash, never the text itself.

#include <string>
#include <string_view>

#include "core/result.h"

namespace beowulf::image {

/// The yescrypt hash ("$y$...") of `password` with a fresh random salt (libcrypt).
/// Fails when the password is empty or holds a newline, or libcrypt fails.
Result<std::string> hash_password(std::string_view password);

}  // namespace beowulf::image
