#pragma once
// UsersPlan: the pure half of `beowulf users`: what each node's account database holds
// (read from `getent`), the names a user may give, the UID a new account gets (the next
// one free on every node, its private group's GID the same), and the problems `users
// check` reports: a user missing on a node, a UID or GID that differs from the master's,
// a missing home. No I/O.

#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace beowulf::cluster {

/// The first and last UID of ordinary accounts, as Debian's adduser.conf sets them.
inline constexpr int kFirstUid = 1000, kLastUid = 59999;

struct Account {
  std::string name;
  int uid = -1;
  int gid = -1;
  std::string home;   ///< "/home/student01"
  std::string shell;  ///< "/bin/bash"
  bool operator==(const Account&) const = default;
};

/// One node's accounts and groups, and which of the homes asked about exist.
struct NodeAccounts {
  std::map<std::string, Account> users;  ///< by name
  std::map<std::string, int> groups;     ///< group name -> GID
  std::set<std::string> homes_present;   ///< names whose home directory exists

  /// The user holding `uid`, or the group holding it as a GID; empty when it is free.
  std::string holder_of(int uid) const;
};

/// Reads the users script's output: "passwd LINE" (getent passwd), "group LINE" (getent
/// group), "home NAME" for each home that exists. Fails on a line of another shape.
Result<NodeAccounts> parse_node_accounts(std::string_view text);

/// Checks a new user's name as Debian's adduser does (lower-case letters, digits, '-' and
/// '_', starting with a letter, at most 32 characters). Bad input otherwise.
Status check_user_name(std::string_view name);

/// The accounts `names` get: the same UID (and GID, its private group) on every node.
/// With `first_uid` the names get it and the ones after it, else the lowest UIDs from
/// kFirstUid that no node uses as a UID or a GID. A name any node already has is refused,
/// as is a given UID that some node uses: "UID 1001 is taken on worker002 (by bob)".
/// Nodes are by name; refusals are bad input, nothing having changed.
Result<std::vector<Account>> plan_accounts(const std::vector<std::string>& names, std::optional<int> first_uid,
                                           const std::map<std::string, NodeAccounts>& nodes);

/// What `users check` found wrong with one user on one node.
struct UserProblem {
  std::string user;
  std::string node;
  std::string what;  ///< "UID 1002, the master's is 1001"
  std::string fix;   ///< a command to paste on the master
  bool operator==(const UserProblem&) const = default;
};

/// The problems of `names` on `nodes`, against the account on `master` (a node's name
/// in `nodes`): missing, another UID, another GID, no home. A user the master lacks is
/// judged against the first node that has it.
std::vector<UserProblem> check_accounts(const std::vector<std::string>& names, const std::string& master,
                                        const std::map<std::string, NodeAccounts>& nodes);

}  // namespace beowulf::cluster
