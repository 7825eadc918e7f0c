#pragma once
// HostKeyPin: which host key first contact with a node trusts, decided before anything
// secret leaves the master. The node's keys are read with ssh-keyscan (it sends nothing
// but the key exchange); the key chosen is then the only one in a temporary known_hosts
// that ssh checks with StrictHostKeyChecking=yes, so the fingerprint recorded is the one
// ssh verified in the handshake, never one the node merely reported.
//
//   planned node (keys made on the master)  the planned keys; any other key is refused
//   member (a recorded fingerprint)         the offered key with that fingerprint; any
//                                           other is refused, unless it is one the user
//                                           read on the board (--new-host-key)
//   new node                                the offered ed25519 key (trust on first use)

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/inventory.h"
#include "core/result.h"
#include "remote/fan_out.h"
#include "sys/process.h"

namespace beowulf::cluster {

/// Host keys ("TYPE BASE64") and their fingerprints, parallel.
struct HostKeys {
  std::vector<std::string> keys;
  std::vector<std::string> prints;
};

/// The job that asks `address`'s sshd for its host keys: ssh-keyscan, which sends nothing
/// but the key exchange.
sys::ProcessSpec keyscan_job(const std::string& address);

/// ssh-keyscan's output as keys and their fingerprints (sys::run of ssh-keygen -l).
Result<HostKeys> scanned_keys(std::string_view keyscan_output);

/// The keys each of `addresses` offers, asked at once through `fan`; an address that did
/// not answer has none. Fails only when a key cannot be read.
Result<std::map<std::string, HostKeys>> scan_host_keys(const std::vector<std::string>& addresses,
                                                       const remote::FanOutOptions& fan);

/// The keys first contact trusts and the fingerprint the inventory records.
struct HostKeyPin {
  std::vector<std::string> keys;
  std::string fingerprint;
};

/// The keys in ssh-keyscan's output ("ADDRESS TYPE BASE64" lines; '#' lines are comments),
/// as "TYPE BASE64", in order.
std::vector<std::string> keyscan_keys(std::string_view output);

/// The keys `node` may be first contacted with. `known` is what the inventory holds at the
/// node's address (nullptr: nothing), `planned` the fingerprints of known->host_keys,
/// `offered` what the node offers, `accepted` the fingerprints the user read on the
/// boards (--new-host-key). `offered` must not be empty. Fails when the node offers no
/// key the inventory expects: the message names both fingerprints, the hint how to check
/// the real one on the board's console.
Result<HostKeyPin> choose_pin(const Node* known, const HostKeys& planned, const HostKeys& offered,
                              const std::vector<std::string>& accepted);

/// The console command that prints a board's own ed25519 fingerprint.
inline constexpr std::string_view kConsoleFingerprint = "ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub";

/// `text` is a fingerprint as OpenSSH prints it: "SHA256:" and 43 base64 characters.
bool is_sha256_fingerprint(std::string_view text);

}  // namespace beowulf::cluster
