#include "cluster/host_key.h"

#include <fmt/core.h>

#include <sstream>

#include "sys/process.h"

namespace beowulf::cluster {

Result<std::vector<std::string>> fingerprints(const std::vector<std::string>& public_keys) {
  std::vector<std::string> out;
  for (const auto& key : public_keys) {
    auto r = sys::run({.argv = {"ssh-keygen", "-l", "-f", "-"}, .input = key + "\n"});
    if (!r.ok()) return r.error();
    std::istringstream words(r->out);
    std::string bits, print;
    words >> bits >> print;
    if (!r->ok() || !print.starts_with("SHA256:"))
      return Error{fmt::format("ssh-keygen -l: cannot read the host key '{}'", key.substr(0, 40))};
    out.push_back(print);
  }
  return out;
}

std::string recorded_fingerprint(const std::vector<std::string>& keys, const std::vector<std::string>& prints) {
  for (std::size_t i = 0; i < keys.size() && i < prints.size(); ++i)
    if (keys[i].starts_with("ssh-ed25519 ")) return prints[i];
  return prints.empty() ? "" : prints.front();
}

std::string offered_fingerprint(std::string_view err) {
  auto at = err.find("sent by the remote host is");
  if (at == std::string_view::npos) return {};
  at = err.find("SHA256:", at);
  if (at == std::string_view::npos) return {};
  auto end = err.find_first_of(" \r\n", at);
  std::string print(err.substr(at, end == std::string_view::npos ? std::string_view::npos : end - at));
  while (!print.empty() && print.back() == '.') print.pop_back();
  return print;
}

}  // namespace beowulf::cluster
