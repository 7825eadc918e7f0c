#include "cluster/host_key_pin.h"

#include <fmt/core.h>

#include <algorithm>
#include <cctype>

#include "cluster/host_key.h"

namespace beowulf::cluster {
namespace {

bool has(const std::vector<std::string>& list, const std::string& item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

/// The offered key whose fingerprint is `print`, pinned alone.
HostKeyPin offered_with(const HostKeys& offered, const std::string& print) {
  for (std::size_t i = 0; i < offered.keys.size(); ++i)
    if (offered.prints[i] == print) return {{offered.keys[i]}, print};
  return {};
}

/// The first offered fingerprint the user accepted; empty when none.
std::string accepted_print(const HostKeys& offered, const std::vector<std::string>& accepted) {
  for (const auto& print : offered.prints)
    if (has(accepted, print)) return print;
  return {};
}

Error refused(const std::string& what, const std::string& offered) {
  return Error{what + ": refused before any password or key was sent", "",
               fmt::format("check the key on the board's console with '{}'; if it prints {}, the board was "
                           "re-imaged: accept it with --new-host-key {} (or 'beowulf remove' the node first)",
                           kConsoleFingerprint, offered, offered)};
}

}  // namespace

std::vector<std::string> keyscan_keys(std::string_view output) {
  std::vector<std::string> keys;
  std::size_t begin = 0;
  while (begin < output.size()) {
    std::size_t end = output.find('\n', begin);
    if (end == std::string_view::npos) end = output.size();
    std::string_view line = output.substr(begin, end - begin);
    begin = end + 1;
    if (line.empty() || line.front() == '#') continue;
    std::size_t space = line.find(' ');
    if (space == std::string_view::npos) continue;
    std::string key(line.substr(space + 1));
    while (!key.empty() && (key.back() == '\r' || key.back() == ' ')) key.pop_back();
    if (key.find(' ') != std::string::npos) keys.push_back(key);
  }
  return keys;
}

sys::ProcessSpec keyscan_job(const std::string& address) {
  return {.argv = {"ssh-keyscan", "-T", "10", "-t", "ed25519,ecdsa,rsa", "--", address}};
}

Result<HostKeys> scanned_keys(std::string_view keyscan_output) {
  HostKeys out;
  out.keys = keyscan_keys(keyscan_output);
  auto prints = fingerprints(out.keys);
  if (!prints.ok()) return prints.error();
  out.prints = std::move(*prints);
  return out;
}

Result<std::map<std::string, HostKeys>> scan_host_keys(const std::vector<std::string>& addresses,
                                                       const remote::FanOutOptions& fan) {
  std::vector<remote::Job> jobs;
  for (const auto& address : addresses) jobs.push_back({remote::target_at(address), keyscan_job(address)});
  auto runs = remote::FanOut(fan).collect(jobs);
  std::map<std::string, HostKeys> out;
  for (std::size_t i = 0; i < runs.size() && i < addresses.size(); ++i) {
    auto keys = scanned_keys(runs[i].out);
    if (!keys.ok()) return Error{keys.error().what, addresses[i]};
    out[addresses[i]] = std::move(*keys);
  }
  return out;
}

Result<HostKeyPin> choose_pin(const Node* known, const HostKeys& planned, const HostKeys& offered,
                              const std::vector<std::string>& accepted) {
  std::string offered_print = recorded_fingerprint(offered.keys, offered.prints);
  if (std::string print = accepted_print(offered, accepted); !print.empty()) return offered_with(offered, print);
  if (known != nullptr && !planned.keys.empty()) {
    for (const auto& print : offered.prints)
      if (has(planned.prints, print)) return HostKeyPin{planned.keys, recorded_fingerprint(planned.keys, planned.prints)};
    return refused(fmt::format("the node offers host key {}, not the one made for its card ({})", offered_print,
                               recorded_fingerprint(planned.keys, planned.prints)),
                   offered_print);
  }
  if (known != nullptr && !known->host_key.empty()) {
    if (has(offered.prints, known->host_key)) return offered_with(offered, known->host_key);
    return refused(fmt::format("the node's host key changed (recorded {}, offered {})", known->host_key, offered_print),
                   offered_print);
  }
  return offered_with(offered, offered_print);
}

bool is_sha256_fingerprint(std::string_view text) {
  constexpr std::string_view kPrefix = "SHA256:";
  if (!text.starts_with(kPrefix) || text.size() != kPrefix.size() + 43) return false;
  return std::all_of(text.begin() + kPrefix.size(), text.end(),
                     [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '/'; });
}

}  // namespace beowulf::cluster
