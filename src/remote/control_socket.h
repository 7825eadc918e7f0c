#pragma once
// The ControlMaster socket that ssh's `ControlPath=DIR/%C` names for a node, found without
// starting ssh: OpenSSH's %C is the SHA-1 (hex) of this machine's host name, the remote
// host, the port, the remote user and the ProxyJump (none here), run together.

#include <string>
#include <string_view>

#include "remote/target.h"

namespace beowulf::remote {

/// DIR/%C for `target` as seen from `local_host` (gethostname's answer); empty when
/// `target` names no user (ssh would pick one from its config: not known here).
std::string control_socket(const std::string& dir, const Target& target, std::string_view local_host);

/// This machine's host name as ssh sees it (gethostname); empty when it cannot be read.
std::string local_host_name();

}  // namespace beowulf::remote
