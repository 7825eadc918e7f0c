#include "cluster/cluster_tables.h"

#include <fmt/core.h>

#include <sstream>

#include "core/managed_block.h"

namespace beowulf::cluster {
namespace {

std::vector<std::string> lines_of(std::string_view text) {
  std::vector<std::string> out;
  std::istringstream in{std::string(text)};
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

/// The lines of `text`'s block; none when it has none or a broken one.
std::vector<std::string> block_lines(std::string_view text) {
  auto block = read_block(text, "");
  if (!block.ok() || !*block) return {};
  return **block;
}

/// put_block's result when it differs from `now`, nullopt when it is the same.
Result<std::optional<std::string>> updated(const std::optional<std::string>& now, std::string_view base,
                                           const std::vector<std::string>& lines, std::string_view file) {
  auto wanted = put_block(base, lines, file);
  if (!wanted.ok()) return wanted.error();
  if (now == *wanted) return std::optional<std::string>{};
  return std::optional<std::string>{std::move(*wanted)};
}

}  // namespace

ClusterTables make_tables(const std::vector<MemberKeys>& members) {
  ClusterTables t;
  for (const auto& m : members) {
    t.hosts.push_back(fmt::format("{} {}", m.node.address, m.node.name));
    if (!m.user_key.empty()) t.authorized_keys.push_back(fmt::format("{} {}", m.user_key, m.node.name));
    for (const auto& key : m.host_keys) t.known_hosts.push_back(fmt::format("{},{} {}", m.node.name, m.node.address, key));
  }
  return t;
}

std::string without_stale_loopback(std::string_view hosts) {
  std::string out;
  bool inside = false;
  for (const auto& line : lines_of(hosts)) {
    if (line == kBlockBegin) inside = true;
    if (line == kBlockEnd) inside = false;
    std::istringstream words(line);
    std::string first;
    words >> first;
    if (!inside && first == "127.0.1.1") continue;
    out += line + "\n";
  }
  if (!hosts.empty() && hosts.back() != '\n' && !out.empty()) out.pop_back();
  return out;
}

Result<NodeChanges> changes_for(std::string_view name, const NodeFacts& facts, const ClusterTables& tables) {
  NodeChanges c;
  if (facts.hostname != name || facts.etc_hostname != std::string(name) + "\n") c.hostname = std::string(name);
  auto hosts = updated(facts.etc_hosts, without_stale_loopback(facts.etc_hosts.value_or("")), tables.hosts, "/etc/hosts");
  if (!hosts.ok()) return hosts.error();
  auto keys = updated(facts.authorized_keys, facts.authorized_keys.value_or(""), tables.authorized_keys,
                      "~/.ssh/authorized_keys");
  if (!keys.ok()) return keys.error();
  auto known = updated(facts.known_hosts, facts.known_hosts.value_or(""), tables.known_hosts, "~/.ssh/known_hosts");
  if (!known.ok()) return known.error();
  c.etc_hosts = *hosts;
  c.authorized_keys = *keys;
  c.known_hosts = *known;
  c.read = {facts.etc_hostname, facts.etc_hosts, facts.authorized_keys, facts.known_hosts};
  return c;
}

MemberKeys keys_from_blocks(const NamedNode& node, std::string_view authorized_keys, std::string_view known_hosts) {
  MemberKeys keys{node, {}, {}};
  for (const auto& line : block_lines(authorized_keys))
    if (line.ends_with(" " + node.name) && keys.user_key.empty()) keys.user_key = public_key_of(line);
  std::string prefix = node.name + "," + node.address + " ";
  for (const auto& line : block_lines(known_hosts))
    if (line.starts_with(prefix)) keys.host_keys.push_back(line.substr(prefix.size()));
  return keys;
}

/// `dir`/%C as an ssh_config value: a '%' of the path doubled (ssh expands tokens there),
/// and the whole in double quotes when it holds a space (else ssh refuses the whole file).
std::string control_path(std::string_view dir) {
  std::string path;
  for (char c : dir) path += c == '%' ? std::string("%%") : std::string(1, c);
  path += "/%C";
  return path.find_first_of(" \t") == std::string::npos ? path : "\"" + path + "\"";
}

std::vector<std::string> ssh_config_block(const std::vector<ConfigHost>& hosts, std::string_view control_dir) {
  std::vector<std::string> out;
  for (const auto& n : hosts) {
    out.push_back(fmt::format("Host {} {}", n.name, n.address));
    out.push_back("  HostName " + n.address);
    out.push_back("  User " + n.user);
    out.push_back("  ControlMaster auto");
    out.push_back("  ControlPath " + control_path(control_dir));
    out.push_back("  ControlPersist 10m");
  }
  return out;
}

}  // namespace beowulf::cluster
