#include "core/inventory.h"

#include <fmt/core.h>
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace beowulf {
namespace {

constexpr const char* kFile = "~/.beowulf/cluster.toml";

constexpr const char* kCluster = R"(schema = 1
name = "pi"
subnet = "198.18.0.0/24"

[[node]]
name = "master"
address = "198.18.0.10"
user = "linaro"
slots = 2
role = "master"
host_key = "SHA256:uNiVztksCsDhcc0u9e8BujQXVUpKZIDTMczCvj3tD2s"
board = "parallella"

[[node]]
name = "worker001"
address = "198.18.0.11"
user = "linaro"
slots = 2
)";

Inventory parse(std::string_view text) { return parse_inventory(text, kFile).value(); }

/// The message (and hint) of loading `text`, or "loaded".
std::string refusal(std::string_view text) {
  auto inventory = parse_inventory(text, kFile);
  if (inventory) return "loaded";
  EXPECT_EQ(inventory.error().kind, ErrorKind::bad_input);
  return inventory.error().hint.empty() ? inventory.error().what
                                        : inventory.error().what + "\nhint: " + inventory.error().hint;
}

Node worker(std::string name, std::string address, int slots = 1) {
  return Node{std::move(name), parse_ipv4(address).value(), "linaro", slots, Role::worker, "", ""};
}

/// An inventory of one node, worker001, with `line` as its last key.
std::string worker001_with(std::string_view line) {
  return fmt::format("schema = 1\n[[node]]\nname = \"worker001\"\naddress = \"198.18.0.11\"\nuser = \"linaro\"\n{}\n", line);
}

TEST(Inventory, LoadsTheDocumentedExample) {
  Inventory inventory = parse(kCluster);
  EXPECT_EQ(inventory.name(), "pi");
  EXPECT_EQ(inventory.subnet()->str(), "198.18.0.0/24");
  ASSERT_EQ(inventory.nodes().size(), 2u);
  const Node& master = inventory.nodes()[0];
  EXPECT_EQ(master.label(), "master (198.18.0.10)");
  EXPECT_EQ(master.user, "linaro");
  EXPECT_EQ(master.slots, 2);
  EXPECT_EQ(master.role, Role::master);
  EXPECT_EQ(master.host_key, "SHA256:uNiVztksCsDhcc0u9e8BujQXVUpKZIDTMczCvj3tD2s");
  EXPECT_EQ(master.board, "parallella");
  const Node& w = inventory.nodes()[1];
  EXPECT_EQ(w.role, Role::worker);  // the default
  EXPECT_EQ(w.host_key, "");
  EXPECT_EQ(inventory.master(), &master);
  ASSERT_EQ(inventory.workers().size(), 1u);
  EXPECT_EQ(inventory.workers()[0]->name, "worker001");
  EXPECT_EQ(inventory.total_slots(), 4);
}

TEST(Inventory, WritesWhatItReadsBack) {
  Inventory inventory = parse(kCluster);
  std::string text = write_inventory(inventory);
  EXPECT_EQ(text, R"(# The beowulf cluster, written by beowulf (see docs/inventory.md).
schema = 1
name = "pi"
subnet = "198.18.0.0/24"

[[node]]
name = "master"
address = "198.18.0.10"
user = "linaro"
slots = 2
role = "master"
host_key = "SHA256:uNiVztksCsDhcc0u9e8BujQXVUpKZIDTMczCvj3tD2s"
board = "parallella"

[[node]]
name = "worker001"
address = "198.18.0.11"
user = "linaro"
slots = 2
role = "worker"
)");
  EXPECT_EQ(parse(text), inventory);
  EXPECT_EQ(write_inventory(parse(text)), text);
}

TEST(Inventory, TheDocumentedExampleLoadsAndIsWhatBeowulfWrites) {
  std::ifstream doc(BEOWULF_SOURCE_DIR "/docs/inventory.md");
  std::stringstream buffer;
  buffer << doc.rdbuf();
  std::string markdown = buffer.str();
  std::size_t start = markdown.find("```toml\n");
  ASSERT_NE(start, std::string::npos);
  start += 8;
  std::string example = markdown.substr(start, markdown.find("```", start) - start);
  auto inventory = parse_inventory(example, "docs/inventory.md");
  ASSERT_TRUE(inventory) << inventory.error().what;
  EXPECT_EQ(inventory->nodes().size(), 2u);
  EXPECT_EQ(write_inventory(*inventory), example);
}

TEST(Inventory, AnEmptyInventoryNeedsOnlyTheSchema) {
  Inventory inventory = parse("schema = 1\n");
  EXPECT_TRUE(inventory.nodes().empty());
  EXPECT_EQ(inventory.master(), nullptr);
  EXPECT_EQ(inventory.total_slots(), 0);
  EXPECT_EQ(parse(write_inventory(inventory)), inventory);
}

TEST(InventoryLoad, PointsAtTheLineAndKeyOfABadAddress) {
  std::string text = kCluster;
  text.replace(text.find("198.18.0.11"), 11, "198.18.0.300");
  EXPECT_EQ(refusal(text),
            "~/.beowulf/cluster.toml:16: node 'worker001': address: '198.18.0.300' is not an IPv4 address\n"
            "hint: an IPv4 address is four numbers from 0 to 255 separated by dots, like 198.18.0.11");
  text.replace(text.find("198.18.0.300"), 12, "198.18.0.255");
  EXPECT_EQ(refusal(text),
            "~/.beowulf/cluster.toml:16: node 'worker001': address: 198.18.0.255 is the broadcast address of "
            "198.18.0.0/24: no host can use it\nhint: give the node an address from 198.18.0.1 to 198.18.0.254");
  text.replace(text.find("198.18.0.255"), 12, "198.18.1.12");
  EXPECT_EQ(refusal(text),
            "~/.beowulf/cluster.toml:16: node 'worker001': address: 198.18.1.12 is outside the cluster subnet 198.18.0.0/24");
}

TEST(InventoryLoad, RefusesAnUnknownKeyWithTheLikelyOne) {
  std::string text = kCluster;
  text.replace(text.find("address = \"198.18.0.11\""), 7, "adress");
  EXPECT_EQ(refusal(text), "~/.beowulf/cluster.toml:16: node #2: unknown key 'adress'\nhint: did you mean 'address'?");
  EXPECT_EQ(refusal("schema = 1\nsubnets = \"198.18.0.0/24\"\n"),
            "~/.beowulf/cluster.toml:2: unknown key 'subnets'\nhint: did you mean 'subnet'?");
  EXPECT_EQ(refusal("schema = 1\ncolour = \"red\"\n"),
            "~/.beowulf/cluster.toml:2: unknown key 'colour'\nhint: the keys here are: schema, name, subnet, node");
}

TEST(InventoryLoad, RefusesTwoNodesWithOneNameOrOneAddress) {
  std::string twin = std::string(kCluster) + "\n[[node]]\nname = \"worker001\"\naddress = \"198.18.0.12\"\nuser = \"linaro\"\n";
  EXPECT_EQ(refusal(twin),
            "~/.beowulf/cluster.toml:21: node 'worker001': name: a node named 'worker001' is already on line 15\n"
            "hint: every node needs a name of its own");
  std::string same_address = std::string(kCluster) + "\n[[node]]\nname = \"worker002\"\naddress = \"198.18.0.11\"\nuser = \"linaro\"\n";
  EXPECT_EQ(refusal(same_address),
            "~/.beowulf/cluster.toml:22: node 'worker002': address: 198.18.0.11 is already the address of worker001\n"
            "hint: every node needs an address of its own");
  std::string two_masters = std::string(kCluster) +
                            "\n[[node]]\nname = \"boss\"\naddress = \"198.18.0.12\"\nuser = \"linaro\"\nrole = \"master\"\n";
  EXPECT_EQ(refusal(two_masters),
            "~/.beowulf/cluster.toml:24: node 'boss': role: master is already the master: a cluster has one");
}

TEST(InventoryLoad, RefusesANewerSchemaWithAHint) {
  EXPECT_EQ(refusal("schema = 2\n"),
            "~/.beowulf/cluster.toml:1: schema: version 2 is newer than this beowulf reads (1)\n"
            "hint: upgrade beowulf here, or use the beowulf that wrote the file");
  EXPECT_EQ(refusal("schema = 2\n[cluster]\nname = \"pi\"\n"),
            "~/.beowulf/cluster.toml:1: schema: version 2 is newer than this beowulf reads (1)\n"
            "hint: upgrade beowulf here, or use the beowulf that wrote the file");
  EXPECT_EQ(refusal("name = \"pi\"\n"), "~/.beowulf/cluster.toml:1: schema: missing\nhint: the file starts with 'schema = 1'");
  EXPECT_EQ(refusal("schema = 0\n"), "~/.beowulf/cluster.toml:1: schema: 0 is not a schema version\nhint: the first version is 1");
  EXPECT_EQ(refusal("schema = \"1\"\n"), "~/.beowulf/cluster.toml:1: schema: expected an integer, found a string");
}

TEST(InventoryLoad, RefusesBadValuesAtTheirKey) {
  EXPECT_EQ(refusal(worker001_with("slots = 0")),
            "~/.beowulf/cluster.toml:6: node 'worker001': slots: 0 is not a slot count\n"
            "hint: give 1 to 4096 (usually the node's cores)");
  EXPECT_EQ(refusal(worker001_with("slots = 2.5")),
            "~/.beowulf/cluster.toml:6: node 'worker001': slots: expected an integer, found a number with a fraction");
  EXPECT_EQ(refusal(worker001_with("role = \"mastr\"")),
            "~/.beowulf/cluster.toml:6: node 'worker001': role: 'mastr' is not a role\nhint: did you mean 'master'?");
  EXPECT_EQ(refusal(worker001_with("host_key = \"md5:00\"")),
            "~/.beowulf/cluster.toml:6: node 'worker001': host_key: 'md5:00' is not an ssh host key fingerprint\n"
            "hint: it looks like 'SHA256:...', as 'ssh-keygen -lf' prints it");
  EXPECT_EQ(refusal("schema = 1\n[[node]]\nname = \"worker_1\"\naddress = \"198.18.0.11\"\nuser = \"linaro\"\n"),
            "~/.beowulf/cluster.toml:3: node 'worker_1': name: 'worker_1' is not a host name\n"
            "hint: use letters, digits and '-' (at most 63), not starting or ending with '-'");
  EXPECT_EQ(refusal("schema = 1\n[[node]]\nname = \"worker001\"\naddress = \"198.18.0.11\"\n"),
            "~/.beowulf/cluster.toml:2: node 'worker001': missing key 'user'");
  EXPECT_EQ(refusal("schema = 1\n[[node]]\naddress = \"198.18.0.11\"\n"), "~/.beowulf/cluster.toml:2: node #1: missing key 'name'");
  EXPECT_EQ(refusal("schema = 1\n[node]\nname = \"a\"\n"),
            "~/.beowulf/cluster.toml:2: node: expected [[node]] tables\nhint: each node is a [[node]] table; see docs/inventory.md");
  EXPECT_EQ(refusal("schema = 1\nsubnet = \"198.18.0.1/24\"\n"),
            "~/.beowulf/cluster.toml:2: subnet: '198.18.0.1/24' is not a subnet\n"
            "hint: 198.18.0.1 has host bits set for a /24: did you mean 198.18.0.0/24?");
}

TEST(Inventory, APlannedNodeKeepsItsArchitectureAndHostKeys) {
  constexpr const char* kPlanned = R"(schema = 1

[[node]]
name = "worker004"
address = "198.18.0.14"
user = "pi"
slots = 4
role = "worker"
host_key = "SHA256:4bQn2E1v7gHq0yWm3f8kVYpZ6cJrT9sLdXaN5uOiKe0"
arch = "armhf"
planned = true
host_keys = ["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJ4b8k9 root@worker004"]
)";
  Inventory inventory = parse(kPlanned);
  const Node& node = inventory.nodes().front();
  EXPECT_EQ(node.arch, "armhf");
  EXPECT_TRUE(node.planned);
  EXPECT_EQ(node.host_keys, std::vector<std::string>{"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJ4b8k9 root@worker004"});
  std::string written = write_inventory(inventory);
  EXPECT_EQ(written.substr(written.find("schema")), kPlanned);
}

TEST(InventoryLoad, RefusesABadArchitectureOrHostKeyAtItsKey) {
  EXPECT_EQ(refusal(worker001_with("arch = \"arm hf\"")),
            "~/.beowulf/cluster.toml:6: node 'worker001': arch: 'arm hf' is not an architecture name\n"
            "hint: a Debian architecture, as 'dpkg --print-architecture' prints it");
  EXPECT_EQ(refusal(worker001_with("host_keys = [\"SHA256:abc\"]")),
            "~/.beowulf/cluster.toml:6: node 'worker001': host_keys: 'SHA256:abc' is not an ssh public key\n"
            "hint: it looks like 'ssh-ed25519 AAAA...', a line of ssh_host_ed25519_key.pub");
  EXPECT_EQ(refusal(worker001_with("host_keys = [1]")),
            "~/.beowulf/cluster.toml:6: node 'worker001': host_keys: expected strings, found an integer");
  EXPECT_EQ(refusal(worker001_with("planned = \"yes\"")),
            "~/.beowulf/cluster.toml:6: node 'worker001': planned: expected true or false, found a string");
}

TEST(InventoryLoad, ReportsTomlSyntaxErrorsWithTheLine) {
  EXPECT_EQ(refusal("schema = 1\nname = \"pi\n"),
            "~/.beowulf/cluster.toml:2: Error while parsing string: unescaped control characters other than TAB (U+0009) are explicitly prohibited\n"
            "hint: cluster.toml is TOML (https://toml.io); see docs/inventory.md");
}

TEST(InventoryEdit, PutAddsOrReplacesByName) {
  Inventory inventory = parse(kCluster);
  ASSERT_TRUE(inventory.put(worker("worker002", "198.18.0.12", 4)));
  EXPECT_EQ(inventory.total_slots(), 8);
  ASSERT_TRUE(inventory.put(worker("worker001", "198.18.0.21", 1)));  // replaced in place
  ASSERT_EQ(inventory.nodes().size(), 3u);
  EXPECT_EQ(inventory.nodes()[1].label(), "worker001 (198.18.0.21)");
  EXPECT_EQ(inventory.find("worker002")->slots, 4);
  EXPECT_EQ(inventory.find(parse_ipv4("198.18.0.21").value())->name, "worker001");
  EXPECT_EQ(inventory.find("worker009"), nullptr);
  EXPECT_EQ(inventory.find(parse_ipv4("198.18.0.11").value()), nullptr);
}

TEST(InventoryEdit, PutRefusesAndChangesNothing) {
  Inventory inventory = parse(kCluster);
  Inventory before = inventory;
  auto put = inventory.put(worker("worker002", "198.18.0.11"));
  ASSERT_FALSE(put);
  EXPECT_EQ(put.error().what, "address: 198.18.0.11 is already the address of worker001");
  put = inventory.put(worker("worker002", "198.18.0.255"));
  ASSERT_FALSE(put);
  EXPECT_EQ(put.error().what, "address: 198.18.0.255 is the broadcast address of 198.18.0.0/24: no host can use it");
  Node boss = worker("boss", "198.18.0.50");
  boss.role = Role::master;
  put = inventory.put(boss);
  ASSERT_FALSE(put);
  EXPECT_EQ(put.error().what, "role: master is already the master: a cluster has one");
  EXPECT_EQ(inventory, before);
}

TEST(InventoryEdit, RemovesByName) {
  Inventory inventory = parse(kCluster);
  EXPECT_TRUE(inventory.remove("worker001"));
  EXPECT_FALSE(inventory.remove("worker001"));
  EXPECT_TRUE(inventory.workers().empty());
  EXPECT_EQ(inventory.total_slots(), 2);
}

TEST(InventoryEdit, SubnetMustHoldEveryNode) {
  Inventory inventory = parse(kCluster);
  auto set = inventory.set_subnet(parse_subnet("198.18.1.0/24").value());
  ASSERT_FALSE(set);
  EXPECT_EQ(set.error().what, "master: 198.18.0.10 is outside the cluster subnet 198.18.1.0/24");
  EXPECT_TRUE(inventory.set_subnet(parse_subnet("198.18.0.0/15").value()));
  EXPECT_TRUE(inventory.put(worker("worker002", "198.18.1.255")));  // a host address in a /15
}

}  // namespace
}  // namespace beowulf
