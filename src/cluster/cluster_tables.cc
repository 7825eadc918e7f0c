#include "cluster/cluster_tables.h"

#include <fmt/core.h>

#include <optional>
#include <sstream>

namespace beowulf::cluster {
namespace {

constexpr std::string_view kBegin = "# BEGIN beowulf\n";
constexpr std::string_view kEnd = "# END beowulf\n";

std::vector<std::string> lines_of(std::string_view text) {
  std::vector<std::string> out;
  std::istringstream in{std::string(text)};
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

/// The block's span: from its BEGIN line to just past its END line's newline.
struct Span {
  std::size_t begin, end;
};

std::optional<Span> find_block(std::string_view text) {
  std::optional<std::size_t> begin;
  for (std::size_t pos = 0; pos < text.size();) {
    std::size_t nl = text.find('\n', pos);
    std::size_t next = nl == std::string_view::npos ? text.size() : nl + 1;
    std::string_view line = text.substr(pos, (nl == std::string_view::npos ? text.size() : nl) - pos);
    if (!begin && line == kBegin.substr(0, kBegin.size() - 1)) begin = pos;
    else if (begin && line == kEnd.substr(0, kEnd.size() - 1)) return Span{*begin, next};
    pos = next;
  }
  return std::nullopt;
}

}  // namespace

ClusterTables make_tables(const std::vector<MemberKeys>& members) {
  ClusterTables t;
  for (const auto& m : members) {
    t.hosts += fmt::format("{} {}\n", m.node.address, m.node.name);
    if (!m.user_key.empty()) t.authorized_keys += fmt::format("{} {}\n", m.user_key, m.node.name);
    for (const auto& key : m.host_keys) t.known_hosts += fmt::format("{},{} {}\n", m.node.name, m.node.address, key);
  }
  return t;
}

std::string with_block(std::string_view text, std::string_view body) {
  std::string block = std::string(kBegin) + std::string(body) + std::string(kEnd);
  auto span = find_block(text);
  if (!span) {
    std::string out(text);
    if (!out.empty() && out.back() != '\n') out += '\n';
    return out + block;
  }
  return std::string(text.substr(0, span->begin)) + block + std::string(text.substr(span->end));
}

std::string block_of(std::string_view text) {
  auto span = find_block(text);
  if (!span) return {};
  std::string_view block = text.substr(span->begin, span->end - span->begin);
  block.remove_prefix(kBegin.size());
  std::size_t end_line = block.rfind(kEnd.substr(0, kEnd.size() - 1));
  return std::string(block.substr(0, end_line));
}

std::string without_stale_loopback(std::string_view hosts) {
  std::string out;
  bool inside = false;
  for (const auto& line : lines_of(hosts)) {
    if (line + "\n" == kBegin) inside = true;
    if (line + "\n" == kEnd) inside = false;
    std::istringstream words(line);
    std::string first;
    words >> first;
    if (!inside && first == "127.0.1.1") continue;
    out += line + "\n";
  }
  if (!hosts.empty() && hosts.back() != '\n' && !out.empty()) out.pop_back();
  return out;
}

NodeChanges changes_for(std::string_view name, const NodeFacts& facts, const ClusterTables& tables) {
  NodeChanges c;
  if (facts.hostname != name || facts.etc_hostname != std::string(name) + "\n") c.hostname = std::string(name);
  auto update = [](const std::optional<std::string>& now, std::string wanted) -> std::optional<std::string> {
    if (now == wanted) return std::nullopt;
    return wanted;
  };
  c.etc_hosts = update(facts.etc_hosts, with_block(without_stale_loopback(facts.etc_hosts.value_or("")), tables.hosts));
  c.authorized_keys = update(facts.authorized_keys, with_block(facts.authorized_keys.value_or(""), tables.authorized_keys));
  c.known_hosts = update(facts.known_hosts, with_block(facts.known_hosts.value_or(""), tables.known_hosts));
  return c;
}

MemberKeys keys_from_blocks(const NamedNode& node, std::string_view authorized_keys, std::string_view known_hosts) {
  MemberKeys keys{node, {}, {}};
  for (const auto& line : lines_of(block_of(authorized_keys)))
    if (line.ends_with(" " + node.name) && keys.user_key.empty()) keys.user_key = public_key_of(line);
  std::string prefix = node.name + "," + node.address + " ";
  for (const auto& line : lines_of(block_of(known_hosts)))
    if (line.starts_with(prefix)) keys.host_keys.push_back(line.substr(prefix.size()));
  return keys;
}

std::string ssh_config_block(const std::vector<NamedNode>& nodes, std::string_view user, std::string_view control_dir) {
  std::string out;
  for (const auto& n : nodes)
    out += fmt::format(
        "Host {}\n  HostName {}\n  User {}\n  ControlMaster auto\n  ControlPath {}/%C\n  ControlPersist 10m\n", n.name,
        n.address, user, control_dir);
  return out;
}

}  // namespace beowulf::cluster
