#pragma once
// Profile: what a freshly flashed board looks like before anyone touches it: its one
// user, that user's password, and the hostname every such board shares.

#include <string>
#include <vector>

#include "core/result.h"

namespace beowulf::sim {

struct Profile {
  std::string name;      ///< "parallella"
  std::string user;      ///< "linaro", in the sudo group; sudo asks for the password
  std::string password;  ///< "linaro": the board's well-known first-boot password
  std::string hostname;  ///< "linaro-nano", the same on every board of the kind
};

/// The names of the known profiles, the default first.
std::vector<std::string> profile_names();

/// The profile called `name`. Fails (bad input, with a "did you mean") for an unknown name.
Result<Profile> profile_named(const std::string& name);

}  // namespace beowulf::sim
