#include "cluster/node_facts.h"

#include <fmt/core.h>

#include <algorithm>
#include <cstdlib>
#include <sstream>

#include "core/base64.h"

namespace beowulf::cluster {
namespace {

std::vector<std::string> words(std::string_view line) {
  std::istringstream in{std::string(line)};
  std::vector<std::string> out;
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

bool is_key_type(std::string_view word) {
  return word.starts_with("ssh-") || word.starts_with("ecdsa-sha2-") || word.starts_with("sk-");
}

}  // namespace

std::string public_key_of(std::string_view line) {
  auto w = words(line);
  // authorized_keys options come first; the key type is the first word that is one.
  for (std::size_t i = 0; i + 1 < w.size(); ++i)
    if (is_key_type(w[i])) return w[i] + " " + w[i + 1];
  return {};
}

Result<NodeFacts> parse_node_facts(std::string_view output) {
  NodeFacts facts;
  std::istringstream in{std::string(output)};
  for (std::string line; std::getline(in, line);) {
    auto space = line.find(' ');
    std::string key = line.substr(0, space);
    std::string value = space == std::string::npos ? "" : line.substr(space + 1);
    if (key == "hostname") {
      facts.hostname = value;
      continue;
    }
    if (key == "cores") {
      facts.cores = std::max(1, std::atoi(value.c_str()));
      continue;
    }
    if (key == "arch") {
      facts.arch = value;
      continue;
    }
    std::optional<std::string> content;
    if (value != "-") {
      if (value.empty() || value[0] != '=' || !(content = base64_decode(value.substr(1))))
        return Error{fmt::format("malformed line for '{}' in the node's answer", key)};
    }
    if (key == "etc_hostname") facts.etc_hostname = content;
    else if (key == "etc_hosts") facts.etc_hosts = content;
    else if (key == "authorized_keys") facts.authorized_keys = content;
    else if (key == "known_hosts") facts.known_hosts = content;
    else if (key == "user_key") facts.user_key = public_key_of(content.value_or(""));
    else if (key == "host_keys") {
      std::istringstream keys{content.value_or("")};
      for (std::string k; std::getline(keys, k);)
        if (auto pk = public_key_of(k); !pk.empty()) facts.host_keys.push_back(pk);
    }
  }
  if (facts.user_key.empty()) return Error{"no user key in the node's answer"};
  if (facts.host_keys.empty()) return Error{"no ssh host key in /etc/ssh on the node"};
  return facts;
}

}  // namespace beowulf::cluster
