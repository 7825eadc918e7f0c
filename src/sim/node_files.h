#pragma once
// NodeFiles: the text of the files that make a node's copy of /etc look like a fresh
// board of its profile. Pure: strings in, strings out; node_setup.cc writes them.

#include <optional>
#include <string>

#include "sim/profile.h"

namespace beowulf::sim {

/// The account files of one /etc, edited together.
struct AccountFiles {
  std::string passwd, shadow, group, gshadow;
};

/// One line of /etc/passwd.
struct PasswdEntry {
  std::string name;
  unsigned uid = 0, gid = 0;
  std::string home, shell;
};

/// `files` with the profile's user added as a fresh board has it: its own group, a home
/// in /home, bash, the password `password_hash` (a crypt(3) string), and membership of
/// `sudo`. Any earlier entry of that name (copied from the host) is replaced. The uid is
/// the first one from 1000 that no user or group uses.
AccountFiles with_board_user(AccountFiles files, const Profile& profile, const std::string& password_hash);

/// The passwd entry of `user`, or nullopt when `passwd` has none.
std::optional<PasswdEntry> find_user(const std::string& passwd, const std::string& user);

/// /etc/hosts as a freshly flashed board has it: localhost, and its hostname on 127.0.1.1.
std::string hosts_file(const Profile& profile);

/// The node's /etc/ssh/sshd_config: listens on `address` (and the loopback), password
/// login on, its own host keys, its pid file in the node's /run.
std::string sshd_config(const std::string& address);

/// The sudoers drop-in that lets the sudo group run anything, with its password.
std::string sudoers_rule();

/// The master's extra drop-in: its admin gave `user` password-less sudo, as beowulf
/// expects of the machine it runs on (add sends the boards' password to no one but the
/// boards it adds; the master's own /etc/hosts is changed with `sudo -n`).
std::string master_sudoers_rule(const std::string& user);

}  // namespace beowulf::sim
