#pragma once
// add: makes fresh boards members of the cluster, in parallel, in these steps:
// the host key pinned (host_key_pin.h: a changed one is refused before anything secret is
// sent), first contact with the password, the master's key authorized, key login proved, the
// hostname set, then on every member the hosts, authorized_keys and known_hosts blocks,
// and on the master the ssh config, inventory and machine files; finally the proof, master
// to node and node to master, in BatchMode.
//
// Failures are per node: each names the node and the step, the others complete, and the
// inventory gains only the nodes that completed. A node that fails after the blocks named
// it (sudo refused, the proof failed) is taken out of every member's blocks again before
// add returns, so nothing names a node that is not a member and `add` can simply be run
// again for it. The boards' password goes to the nodes being added (ssh, then their sudo,
// which add then makes password-less); the master and the members get none: their root
// steps use `sudo -n`. Every step is idempotent and the
// inventory is written last, so `add` killed at any moment and run again ends in the state
// of one clean run.

#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "remote/fan_out.h"

namespace beowulf::cluster {

struct AddOptions {
  std::vector<std::string> addresses;  ///< the nodes to add, e.g. NodeSet("198.18.0.[11-13]").expand()
  std::string user;                    ///< the boards' login user; empty: the master's
  std::string names = "worker%03d";    ///< the name pattern for new nodes
  std::string password;                ///< the boards' password (first contact and the new nodes' sudo only)
  /// Fingerprints ("SHA256:...") the user read on re-imaged boards: a node offering one of
  /// them is accepted although the inventory records another key.
  std::vector<std::string> new_host_keys;
  /// Address -> the fingerprint the user was shown and confirmed (discover --add): a node
  /// offering another key is refused.
  std::map<std::string, std::string> listed_host_keys;
  /// Planned boards (add --planned): wait up to `wait_timeout` for each one's sshd before
  /// first contact. With no password, first contact is key login only: the card carries
  /// the master's key, and nothing is typed or sent.
  bool wait_for_boards = false;
  std::chrono::seconds wait_timeout{600};
  std::size_t fanout = 64;             ///< nodes worked on at once
  std::chrono::seconds timeout{60};    ///< per node and step
  int cancel_fd = -1;                  ///< readable: stop (Ctrl-C)
  std::string askpass_helper;          ///< the beowulf-askpass program; empty: next to ours
  const remote::Transport* transport = nullptr;  ///< a test's fake (remote/fake_transport.h); nullptr: ssh
};

/// How one node fared.
struct AddedNode {
  std::string name;
  std::string address;
  std::string hostname;        ///< as the node reported it in the proof; empty when not reached
  std::optional<Error> error;  ///< nullopt: proved
};

struct AddReport {
  std::vector<AddedNode> nodes;  ///< the nodes asked for, in order, then any member that failed
  bool ok() const;
};

/// Checks `options` against the inventory without touching any node: the addresses are
/// usable and in the cluster's subnet, the pattern is valid, none is the master. Returns
/// the names the nodes will get, in order. Bad input is refused here, before any password
/// is asked.
Result<std::vector<std::string>> check_add(const AddOptions& options);

/// Progress for a terminal line: the step and how many nodes it concerns.
using AddProgress = std::function<void(std::string_view step, std::size_t nodes)>;

/// The addresses of the inventory's planned nodes, in order (add --planned). Fails (bad
/// input) when there is none.
Result<std::vector<std::string>> planned_addresses();

/// Adds `options.addresses` to the cluster of ~/.beowulf/cluster.toml. Fails as a whole
/// only before anything changed on a node (bad input: a malformed address or pattern, the
/// master's address, no inventory) or when the master itself cannot be updated; otherwise
/// the report says how each node fared.
Result<AddReport> add_nodes(const AddOptions& options, const AddProgress& progress = {});

}  // namespace beowulf::cluster
