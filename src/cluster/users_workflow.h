#pragma once
// UsersWorkflow: `beowulf users add`, `remove` and `check` on every member at once
// (FanOut). Every node's accounts are read first; bad input (a malformed name, a name
// that exists, a UID some node uses) is refused before any node changes. The names
// beowulf made are recorded in ~/.beowulf/users, one per line: `check` and `doctor`
// compare those on every node.
//
// For the Slurm workflow and others: find_user_problems() says whether the UIDs are the same
// everywhere (its problems name the node and the fix).

#include <chrono>
#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "cluster/users_plan.h"
#include "core/inventory.h"
#include "core/result.h"
#include "remote/ssh.h"

namespace beowulf::cluster {

struct UsersOptions {
  std::size_t fanout = 64;
  std::chrono::milliseconds timeout{60000};  ///< per node and step
  int cancel_fd = -1;                        ///< readable: stop (Ctrl-C)
};

/// How a command fared on one node.
struct UsersNode {
  std::string name;
  std::string address;
  std::vector<std::string> changes;  ///< "student01 created with UID 1001"
  std::optional<Error> error;
};

struct UsersAddRequest {
  std::vector<std::string> names;           ///< expanded: student01, student02, ...
  std::optional<int> uid;                   ///< the first name's UID; nullopt: the next free
  std::optional<std::string> password;      ///< the new accounts' password; nullopt: none (key login only)
};

/// The accounts of the members that answered, and for the others the error naming them.
struct AccountsRead {
  std::map<std::string, NodeAccounts> accounts;  ///< by node name
  std::vector<Error> failures;                   ///< in the members' order
};

/// Asks every one of `members` for its accounts (and the homes of `names`) at once.
AccountsRead read_each_accounts(const std::vector<Node>& members, const remote::Ssh& ssh,
                                const std::vector<std::string>& names, const UsersOptions& options);

/// Each member's accounts, by node name; a node that did not answer is an error naming it.
Result<std::map<std::string, NodeAccounts>> read_accounts(const std::vector<Node>& members, const remote::Ssh& ssh,
                                                          const std::vector<std::string>& names,
                                                          const UsersOptions& options);

/// The plan for `request` on every member of `inventory`, or why it is refused (nothing changed).
Result<std::vector<Account>> check_users_add(const Inventory& inventory, const remote::Ssh& ssh,
                                             const UsersAddRequest& request, const UsersOptions& options);

/// Makes the accounts of `request` on every member: the same name, UID, GID, home and
/// shell; a key pair per user trusted on every member (and the cluster's known hosts);
/// on the master its own ~/.beowulf/cluster.toml (the inventory as that user), so that
/// `beowulf run` works for it. Root comes from `sudo -n` on every member: no sudo
/// password goes to any node (the accounts' own password, when given, on stdin only).
Result<std::vector<UsersNode>> users_add(const Inventory& inventory, const remote::Ssh& ssh,
                                         const UsersAddRequest& request,
                                         const UsersOptions& options);

/// Removes `names` and their homes from every member; forgets them in ~/.beowulf/users.
std::vector<UsersNode> users_remove(const Inventory& inventory, const remote::Ssh& ssh,
                                    const std::vector<std::string>& names,
                                    const UsersOptions& options);

/// The names ~/.beowulf/users records (empty when there is none).
std::vector<std::string> recorded_users();

/// The problems of `names` (recorded_users() when empty) on `members`: a user missing
/// on a node, a UID or GID that differs from the master's, a missing home.
Result<std::vector<UserProblem>> find_user_problems(const Inventory& inventory, const std::vector<Node>& members,
                                             const remote::Ssh& ssh, std::vector<std::string> names,
                                             const UsersOptions& options);

/// Fixes what find_user_problems finds for `names` on every member: the master's UID and GID
/// set, a missing home or account made; each such user's key made anew and trusted on
/// every member. Nodes without a problem keep their accounts as they are.
Result<std::vector<UsersNode>> fix_users(const Inventory& inventory, const remote::Ssh& ssh,
                                         std::vector<std::string> names,
                                         const UsersOptions& options);

}  // namespace beowulf::cluster
