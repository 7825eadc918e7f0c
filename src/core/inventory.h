#pragma once
// Inventory: the cluster as beowulf knows it, kept in ~/.beowulf/cluster.toml (the schema
// is in docs/inventory.md). A pure value: text in, text out; sys/inventory_file.h reads
// and writes the file. Its invariants hold at all times: node names and addresses are
// unique, there is at most one master, and every address is one a node can use.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/address.h"
#include "core/result.h"

namespace beowulf {

/// The schema version this beowulf writes and the newest it reads.
inline constexpr int kInventorySchema = 1;

enum class Role { master, worker };

/// "master" or "worker".
std::string_view role_name(Role role);

struct Node {
  std::string name;      ///< host name, "worker001"
  Ipv4 address;          ///< on the cluster network
  std::string user;      ///< the login user, "linaro"
  int slots = 1;         ///< MPI processes to start on it (usually its cores)
  Role role = Role::worker;
  std::string host_key;  ///< "SHA256:..." fingerprint of its ssh host key; empty: not yet known
  std::string board;     ///< board profile, "parallella"; empty: unknown
  std::string arch;      ///< its userland's Debian architecture, "armhf"; empty: unknown
  /// A card beowulf wrote (named, keys made on the master) that has not yet been added:
  /// not a member until `beowulf add` proves it.
  bool planned = false;
  /// Its public host keys ("ssh-ed25519 AAAA..."), known before first contact when
  /// beowulf made them; first contact pins them.
  std::vector<std::string> host_keys;

  /// "worker002 (198.18.0.12)": how messages name the node.
  std::string label() const;
  bool operator==(const Node&) const = default;
};

/// The most slots a node may declare.
inline constexpr int kMaxSlots = 4096;

/// Checks one node on its own: a host name (letters, digits, '-'), a usable address in
/// `subnet` (or its /24), a user name, slots 1..kMaxSlots, a fingerprint "SHA256:...",
/// an architecture word, public keys "TYPE BASE64".
/// The error's what is "KEY: problem", e.g. "address: '198.18.0.300' is not an IPv4 address".
Status check_node(const Node& node, const std::optional<Subnet>& subnet);

class Inventory {
 public:
  const std::string& name() const { return name_; }
  void set_name(std::string name) { name_ = std::move(name); }

  /// The cluster network; nullopt: not recorded (addresses are then checked in their /24).
  const std::optional<Subnet>& subnet() const { return subnet_; }
  /// Fails when a node's address lies outside `subnet`.
  Status set_subnet(std::optional<Subnet> subnet);

  /// All nodes, in the order they were added (the master wherever it was put).
  const std::vector<Node>& nodes() const { return nodes_; }

  /// Adds `node`, or replaces the node of the same name in place. Fails (and changes
  /// nothing) when check_node fails, another node has its address, or it is a second master.
  Status put(Node node);
  /// Removes the node named `name`; false when there was none.
  bool remove(std::string_view name);

  const Node* find(std::string_view name) const;
  const Node* find(Ipv4 address) const;
  /// The master; nullptr before `beowulf init`.
  const Node* master() const;
  /// The workers, in inventory order.
  std::vector<const Node*> workers() const;
  /// The sum of every node's slots.
  int total_slots() const;

  bool operator==(const Inventory&) const = default;

 private:
  std::string name_;
  std::optional<Subnet> subnet_;
  std::vector<Node> nodes_;
};

/// Parses cluster.toml text. `file` names the file in messages, which carry its line and
/// the key: "~/.beowulf/cluster.toml:7: node 'worker002': address: '198.18.0.300' is not
/// an IPv4 address". Refuses TOML syntax errors, unknown keys (with "did you mean"),
/// wrong types, a missing or newer schema, duplicate names or addresses, two masters.
/// Every error is bad_input.
Result<Inventory> parse_inventory(std::string_view text, std::string_view file);

/// The cluster.toml text for `inventory` (schema kInventorySchema); parse_inventory of
/// it gives `inventory` back.
std::string write_inventory(const Inventory& inventory);

}  // namespace beowulf
