#include "core/inventory.h"

#include <fmt/core.h>
#include <fmt/format.h>
#include <toml++/toml.h>

#include <algorithm>
#include <numeric>
#include <sstream>

#include "core/suggest.h"

namespace beowulf {
namespace {

/// What is wrong with a node, and under which key, so a parser can point at its line.
struct NodeProblem {
  std::string_view key;
  Error error;
};

bool is_word(std::string_view text) {  // user names and board profiles
  return !text.empty() && text.size() <= 32 && text.front() != '-' &&
         std::all_of(text.begin(), text.end(), [](char c) {
           return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.';
         });
}

bool is_fingerprint(std::string_view text) {
  constexpr std::string_view kPrefix = "SHA256:";
  if (!text.starts_with(kPrefix) || text.size() == kPrefix.size()) return false;
  return std::all_of(text.begin() + kPrefix.size(), text.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '/' || c == '=';
  });
}

/// "ssh-ed25519 AAAA..." (a comment after the key is allowed).
bool is_public_key(std::string_view text) {
  auto space = text.find(' ');
  if (space == 0 || space == std::string_view::npos || (!text.starts_with("ssh-") && !text.starts_with("ecdsa-")))
    return false;
  std::string_view key = text.substr(space + 1);
  key = key.substr(0, key.find(' '));
  return key.size() > 16 && std::all_of(key.begin(), key.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '/' || c == '=';
  });
}

std::optional<NodeProblem> problem_with(const Node& node, const std::optional<Subnet>& subnet) {
  if (!is_host_name(node.name))
    return NodeProblem{"name", bad_input(fmt::format("'{}' is not a host name", node.name),
                                         "use letters, digits and '-' (at most 63), not starting or ending with '-'")};
  if (subnet && !subnet->contains(node.address))
    return NodeProblem{"address", bad_input(fmt::format("{} is outside the cluster subnet {}", node.address.str(),
                                                        subnet->str()))};
  if (auto usable = check_node_address(node.address, subnet.value_or(subnet_of(node.address))); !usable)
    return NodeProblem{"address", usable.error()};
  if (!is_word(node.user))
    return NodeProblem{"user", bad_input(fmt::format("'{}' is not a user name", node.user),
                                         "the login name on the node, like 'linaro'")};
  if (node.slots < 1 || node.slots > kMaxSlots)
    return NodeProblem{"slots", bad_input(fmt::format("{} is not a slot count", node.slots),
                                          fmt::format("give 1 to {} (usually the node's cores)", kMaxSlots))};
  if (!node.host_key.empty() && !is_fingerprint(node.host_key))
    return NodeProblem{"host_key", bad_input(fmt::format("'{}' is not an ssh host key fingerprint", node.host_key),
                                             "it looks like 'SHA256:...', as 'ssh-keygen -lf' prints it")};
  if (!node.board.empty() && !is_word(node.board))
    return NodeProblem{"board", bad_input(fmt::format("'{}' is not a board profile name", node.board))};
  if (!node.arch.empty() && !is_word(node.arch))
    return NodeProblem{"arch", bad_input(fmt::format("'{}' is not an architecture name", node.arch),
                                         "a Debian architecture, as 'dpkg --print-architecture' prints it")};
  for (const std::string& key : node.host_keys)
    if (!is_public_key(key))
      return NodeProblem{"host_keys", bad_input(fmt::format("'{}' is not an ssh public key", key),
                                                "it looks like 'ssh-ed25519 AAAA...', a line of ssh_host_ed25519_key.pub")};
  return std::nullopt;
}

/// A clash of `node` with the other nodes of `inventory` (its own entry excepted).
std::optional<NodeProblem> clash(const Inventory& inventory, const Node& node) {
  if (const Node* other = inventory.find(node.address); other && other->name != node.name)
    return NodeProblem{"address", bad_input(fmt::format("{} is already the address of {}", node.address.str(), other->name),
                                            "every node needs an address of its own")};
  if (const Node* master = inventory.master(); node.role == Role::master && master && master->name != node.name)
    return NodeProblem{"role", bad_input(fmt::format("{} is already the master: a cluster has one", master->name))};
  return std::nullopt;
}

Error with_key(const NodeProblem& problem) {
  Error error = problem.error;
  error.what = fmt::format("{}: {}", problem.key, error.what);
  return error;
}

}  // namespace

std::string_view role_name(Role role) { return role == Role::master ? "master" : "worker"; }

std::string Node::label() const { return fmt::format("{} ({})", name, address.str()); }

Status check_node(const Node& node, const std::optional<Subnet>& subnet) {
  if (auto problem = problem_with(node, subnet)) return with_key(*problem);
  return {};
}

Status Inventory::set_subnet(std::optional<Subnet> subnet) {
  if (subnet)
    for (const Node& node : nodes_)
      if (!subnet->contains(node.address))
        return bad_input(fmt::format("{}: {} is outside the cluster subnet {}", node.name, node.address.str(), subnet->str()));
  subnet_ = subnet;
  return {};
}

Status Inventory::put(Node node) {
  if (auto problem = problem_with(node, subnet_)) return with_key(*problem);
  if (auto problem = clash(*this, node)) return with_key(*problem);
  auto same = std::find_if(nodes_.begin(), nodes_.end(), [&](const Node& n) { return n.name == node.name; });
  if (same != nodes_.end())
    *same = std::move(node);
  else
    nodes_.push_back(std::move(node));
  return {};
}

bool Inventory::remove(std::string_view name) {
  return std::erase_if(nodes_, [&](const Node& n) { return n.name == name; }) > 0;
}

const Node* Inventory::find(std::string_view name) const {
  auto it = std::find_if(nodes_.begin(), nodes_.end(), [&](const Node& n) { return n.name == name; });
  return it == nodes_.end() ? nullptr : &*it;
}

const Node* Inventory::find(Ipv4 address) const {
  auto it = std::find_if(nodes_.begin(), nodes_.end(), [&](const Node& n) { return n.address == address; });
  return it == nodes_.end() ? nullptr : &*it;
}

const Node* Inventory::master() const {
  auto it = std::find_if(nodes_.begin(), nodes_.end(), [](const Node& n) { return n.role == Role::master; });
  return it == nodes_.end() ? nullptr : &*it;
}

// Planned nodes (cards beowulf wrote, not yet added) are not members: no command may treat
// them as workers, and their slots are not the cluster's.
std::vector<const Node*> Inventory::workers() const {
  std::vector<const Node*> workers;
  for (const Node& node : nodes_)
    if (node.role == Role::worker && !node.planned) workers.push_back(&node);
  return workers;
}

int Inventory::total_slots() const {
  return std::accumulate(nodes_.begin(), nodes_.end(), 0,
                         [](int sum, const Node& n) { return n.planned ? sum : sum + n.slots; });
}

// --- cluster.toml -------------------------------------------------------------------

namespace {

const std::vector<std::string> kTopKeys = {"schema", "name", "subnet", "node"};
const std::vector<std::string> kNodeKeys = {"name", "address", "user", "slots", "role", "host_key", "board",
                                            "arch", "planned", "host_keys"};

std::string_view type_name(toml::node_type type) {
  switch (type) {
    case toml::node_type::string: return "a string";
    case toml::node_type::integer: return "an integer";
    case toml::node_type::floating_point: return "a number with a fraction";
    case toml::node_type::boolean: return "true or false";
    case toml::node_type::table: return "a table";
    case toml::node_type::array: return "an array";
    default: return "a date or time";
  }
}

/// Reads the keys of one TOML table, remembering the first problem as a message with the
/// file, the line and the key: "FILE:LINE: CONTEXTKEY: problem".
class TableReader {
 public:
  TableReader(const toml::table& table, std::string_view file, std::string context)
      : table_(table), file_(file), context_(std::move(context)) {}

  /// Refuses the first key not in `known`, with the likely one.
  void refuse_unknown_keys(const std::vector<std::string>& known) {
    for (auto&& [key, value] : table_) {
      if (std::find(known.begin(), known.end(), key.str()) != known.end()) continue;
      auto guess = closest(key.str(), known);
      fail_at(key.source(), fmt::format("unknown key '{}'", key.str()),
              guess ? fmt::format("did you mean '{}'?", *guess) : fmt::format("the keys here are: {}", fmt::join(known, ", ")));
      return;
    }
  }

  /// The string at `key`; `fallback` when it is absent and not required.
  std::string string(std::string_view key, bool required, std::string fallback = {}) {
    const toml::node* node = get(key, toml::node_type::string, required);
    return node ? **node->as_string() : fallback;
  }

  /// The integer at `key`; `fallback` when it is absent and not required.
  std::int64_t integer(std::string_view key, bool required, std::int64_t fallback = 0) {
    const toml::node* node = get(key, toml::node_type::integer, required);
    return node ? **node->as_integer() : fallback;
  }

  /// The boolean at `key`; false when it is absent.
  bool boolean(std::string_view key) {
    const toml::node* node = get(key, toml::node_type::boolean, false);
    return node && **node->as_boolean();
  }

  /// The strings of the array at `key`; empty when it is absent.
  std::vector<std::string> strings(std::string_view key) {
    std::vector<std::string> out;
    const toml::node* node = get(key, toml::node_type::array, false);
    if (!node) return out;
    for (const toml::node& element : *node->as_array()) {
      if (!element.is_string()) {
        fail(key, fmt::format("expected strings, found {}", type_name(element.type())));
        return {};
      }
      out.push_back(**element.as_string());
    }
    return out;
  }

  /// Records `what` (with `hint`) at the line of `key`, or of the table when it is absent.
  void fail(std::string_view key, std::string what, std::string hint = {}) {
    const toml::node* node = table_.get(key);
    fail_at(node ? node->source() : table_.source(), fmt::format("{}: {}", key, what), std::move(hint));
  }

  void fail(std::string_view key, const Error& error) { fail(key, error.what, error.hint); }

  void set_context(std::string context) { context_ = std::move(context); }
  const std::optional<Error>& error() const { return error_; }

 private:
  const toml::node* get(std::string_view key, toml::node_type type, bool required) {
    const toml::node* node = table_.get(key);
    if (!node) {
      if (required) fail_at(table_.source(), fmt::format("missing key '{}'", key));
      return nullptr;
    }
    if (node->type() != type) {
      fail(key, fmt::format("expected {}, found {}", type_name(type), type_name(node->type())));
      return nullptr;
    }
    return node;
  }

  void fail_at(const toml::source_region& where, std::string what, std::string hint = {}) {
    if (error_) return;
    error_ = bad_input(fmt::format("{}:{}: {}{}", file_, std::max<std::uint32_t>(where.begin.line, 1), context_, what),
                       std::move(hint));
  }

  const toml::table& table_;
  std::string_view file_;
  std::string context_;
  std::optional<Error> error_;
};

std::optional<Role> parse_role(std::string_view text) {
  if (text == "master") return Role::master;
  if (text == "worker") return Role::worker;
  return std::nullopt;
}

/// Reads one [[node]] table (the `index`th, from 1) into `inventory`.
std::optional<Error> read_node(const toml::table& table, int index, std::string_view file,
                               const std::vector<int>& name_lines, Inventory& inventory) {
  TableReader reader(table, file, fmt::format("node #{}: ", index));
  reader.refuse_unknown_keys(kNodeKeys);
  Node node;
  node.name = reader.string("name", true);
  if (reader.error()) return reader.error();
  reader.set_context(fmt::format("node '{}': ", node.name));
  if (const Node* same = inventory.find(node.name))
    reader.fail("name", fmt::format("a node named '{}' is already on line {}", same->name,
                                    name_lines[&*same - inventory.nodes().data()]),
                "every node needs a name of its own");
  std::string address = reader.string("address", true);
  if (auto parsed = parse_ipv4(address); parsed)
    node.address = *parsed;
  else if (!reader.error())
    reader.fail("address", parsed.error());
  node.user = reader.string("user", true);
  std::int64_t slots = reader.integer("slots", false, 1);
  if (slots < 1 || slots > kMaxSlots)
    reader.fail("slots", fmt::format("{} is not a slot count", slots),
                fmt::format("give 1 to {} (usually the node's cores)", kMaxSlots));
  node.slots = static_cast<int>(std::clamp<std::int64_t>(slots, 1, kMaxSlots));
  std::string role = reader.string("role", false, "worker");
  if (auto parsed = parse_role(role))
    node.role = *parsed;
  else if (auto guess = closest(role, {"master", "worker"}))
    reader.fail("role", fmt::format("'{}' is not a role", role), fmt::format("did you mean '{}'?", *guess));
  else
    reader.fail("role", fmt::format("'{}' is not a role", role), "a role is 'master' or 'worker'");
  node.host_key = reader.string("host_key", false);
  node.board = reader.string("board", false);
  node.arch = reader.string("arch", false);
  node.planned = reader.boolean("planned");
  node.host_keys = reader.strings("host_keys");
  if (reader.error()) return reader.error();
  if (auto problem = problem_with(node, inventory.subnet())) reader.fail(problem->key, problem->error);
  if (auto problem = clash(inventory, node)) reader.fail(problem->key, problem->error);
  if (reader.error()) return reader.error();
  if (auto put = inventory.put(std::move(node)); !put) return put.error();  // unreachable: checked above
  return std::nullopt;
}

/// Reads the [[node]] tables of the document into `inventory`.
std::optional<Error> read_nodes(const toml::table& root, std::string_view file, Inventory& inventory) {
  const toml::node* nodes = root.get("node");
  if (!nodes) return std::nullopt;
  const toml::array* array = nodes->as_array();
  if (!array || !array->is_array_of_tables())
    return bad_input(fmt::format("{}:{}: node: expected [[node]] tables", file, nodes->source().begin.line),
                     "each node is a [[node]] table; see docs/inventory.md");
  std::vector<int> name_lines;
  for (const toml::node& element : *array) {
    const toml::table& table = *element.as_table();
    if (auto error = read_node(table, static_cast<int>(name_lines.size()) + 1, file, name_lines, inventory)) return error;
    name_lines.push_back(static_cast<int>(table.get("name")->source().begin.line));
  }
  return std::nullopt;
}

std::string quoted(std::string_view text) {
  std::ostringstream out;
  out << toml::default_formatter{toml::value<std::string>(std::string(text)), toml::format_flags::none};
  return out.str();
}

}  // namespace

Result<Inventory> parse_inventory(std::string_view text, std::string_view file) {
  toml::table root;
  try {
    root = toml::parse(text, std::string(file));
  } catch (const toml::parse_error& e) {
    return bad_input(fmt::format("{}:{}: {}", file, e.source().begin.line, e.description()),
                     "cluster.toml is TOML (https://toml.io); see docs/inventory.md");
  }
  TableReader reader(root, file, "");
  if (!root.contains("schema"))
    reader.fail("schema", "missing", fmt::format("the file starts with 'schema = {}'", kInventorySchema));
  std::int64_t schema = reader.integer("schema", true);
  if (!reader.error() && schema > kInventorySchema)
    reader.fail("schema", fmt::format("version {} is newer than this beowulf reads ({})", schema, kInventorySchema),
                "upgrade beowulf here, or use the beowulf that wrote the file");
  else if (!reader.error() && schema < 1)
    reader.fail("schema", fmt::format("{} is not a schema version", schema), "the first version is 1");
  reader.refuse_unknown_keys(kTopKeys);  // after the schema: a newer file may have keys we do not know
  Inventory inventory;
  inventory.set_name(reader.string("name", false));
  std::string subnet = reader.string("subnet", false);
  if (!subnet.empty()) {
    if (auto parsed = parse_subnet(subnet); !parsed)
      reader.fail("subnet", parsed.error());
    else if (auto set = inventory.set_subnet(*parsed); !set)
      reader.fail("subnet", set.error());
  }
  if (reader.error()) return *reader.error();
  if (auto error = read_nodes(root, file, inventory)) return *error;
  return inventory;
}

std::string write_inventory(const Inventory& inventory) {
  std::string text = "# The beowulf cluster, written by beowulf (see docs/inventory.md).\n";
  text += fmt::format("schema = {}\n", kInventorySchema);
  if (!inventory.name().empty()) text += fmt::format("name = {}\n", quoted(inventory.name()));
  if (inventory.subnet()) text += fmt::format("subnet = {}\n", quoted(inventory.subnet()->str()));
  for (const Node& node : inventory.nodes()) {
    text += fmt::format("\n[[node]]\nname = {}\naddress = {}\nuser = {}\nslots = {}\nrole = {}\n", quoted(node.name),
                        quoted(node.address.str()), quoted(node.user), node.slots, quoted(role_name(node.role)));
    if (!node.host_key.empty()) text += fmt::format("host_key = {}\n", quoted(node.host_key));
    if (!node.board.empty()) text += fmt::format("board = {}\n", quoted(node.board));
    if (!node.arch.empty()) text += fmt::format("arch = {}\n", quoted(node.arch));
    if (node.planned) text += "planned = true\n";
    if (!node.host_keys.empty()) {
      std::vector<std::string> keys;
      for (const std::string& key : node.host_keys) keys.push_back(quoted(key));
      text += fmt::format("host_keys = [{}]\n", fmt::join(keys, ", "));
    }
  }
  return text;
}

}  // namespace beowulf
