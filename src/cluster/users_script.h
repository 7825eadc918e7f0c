#pragma once
// The shell scripts `beowulf users` runs on a node (POSIX sh, pure strings). Names, keys
// and files travel inside them as base64 (remote_script.h's literal), so nothing a user
// gives can break the quoting; a new account's password never does: the root scripts
// read it as the first line of stdin (they run through `sudo -n`, which passes stdin on)
// and hand it to chpasswd, which stores it hashed.

#include <optional>
#include <string>
#include <vector>

#include "cluster/users_plan.h"

namespace beowulf::cluster {

/// Prints every account and group (getent), and "home NAME" for each of `names` whose
/// home directory exists, for parse_node_accounts(). Needs no root.
std::string accounts_script(const std::vector<std::string>& names);

/// A user's ssh files, the same on every node: its key pair, and the known hosts of the
/// cluster (the master's ~/.ssh/known_hosts), so it logs in to every member in BatchMode.
struct UserKeys {
  std::string private_key;  ///< OpenSSH private key, ed25519
  std::string public_key;   ///< "ssh-ed25519 AAAA... student01@cluster"
  std::string known_hosts;
};

/// What the root script does for one user on one node.
struct UserChange {
  Account account;
  bool create = false;      ///< make the group and the user (useradd -m)
  bool fix_ids = false;     ///< set its UID and GID to the account's (usermod, groupmod)
  bool make_home = false;   ///< make the home from /etc/skel
  std::optional<UserKeys> keys;  ///< write its ~/.ssh files
  std::string extra_file;   ///< when set: ~/.beowulf/cluster.toml's text (the master's copy)
};

/// The root script for `changes` on a node; with `set_password` it reads the password
/// from the first line of stdin and sets it for every created user (chpasswd).
/// Prints "change NAME WHAT" per change.
std::string users_apply_script(const std::vector<UserChange>& changes, bool set_password);

/// The root script that removes `names` with their homes (userdel -r) where they exist.
/// Prints "change NAME removed" per user removed.
std::string users_remove_script(const std::vector<std::string>& names);

}  // namespace beowulf::cluster
