#pragma once
// NodeFacts: what gather_script() reports about a node: its hostname, the files `add`
// may change, and its keys. Parsed from the script's output; pure.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace beowulf::cluster {

struct NodeFacts {
  std::string hostname;                        ///< the live hostname (uname -n)
  int cores = 1;                               ///< online processors (nproc)
  std::string arch;                            ///< userland's Debian architecture, "armhf"; empty: unknown
  std::optional<std::string> etc_hostname;     ///< nullopt: the file is missing
  std::optional<std::string> etc_hosts;
  std::optional<std::string> authorized_keys;  ///< ~/.ssh/authorized_keys
  std::optional<std::string> known_hosts;      ///< ~/.ssh/known_hosts
  std::string user_key;                        ///< the user's public key, "ssh-ed25519 AAAA..." (no comment)
  std::vector<std::string> host_keys;          ///< sshd's public host keys, "TYPE BASE64" each
};

/// Parses gather_script()'s output. Fails when a line is malformed or the user's key is
/// missing ("no user key in the node's answer"; the step that ran it puts its name in front).
Result<NodeFacts> parse_node_facts(std::string_view output);

/// "TYPE BASE64" of a public key line (options and comment dropped), or empty when the
/// line holds no key ("ssh-ed25519 AAAA x@y" -> "ssh-ed25519 AAAA").
std::string public_key_of(std::string_view line);

}  // namespace beowulf::cluster
