#pragma once
// The doctor's probe: one POSIX sh script run on every node at once (over the warm ssh
// socket; `sh -c` on the master) that reports everything the checks compare, and starts
// the TCP listener the `ports` check connects to. Pure: the script is a string, its
// output is parsed here. Each fact travels as a frame `KEY LENGTH\nVALUE\n` (LENGTH in
// bytes), so no file content can break the parsing.
//
// The listener: `perl` with IO::Socket::INET (perl-base is Essential on Debian,
// Raspberry Pi OS and Ubuntu, so it is on every board; nc and python3 are not). It binds
// the port before the script goes on, then accepts in the background until its lifetime
// ends (kListenSeconds) or once every peer connected: nothing is left running after that.
#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace beowulf::cluster {

/// The high port the `ports` check opens on every node for the test.
inline constexpr int kProbePort = 47123;
/// How long the probe's listener accepts connections.
inline constexpr int kListenSeconds = 30;

/// Whom a node's probe logs in to over ssh (BatchMode, a fresh connection): `label`
/// names it in findings ("master"), `destination` is what ssh is given ("linaro@198.18.7.10").
struct SshProbeTarget {
  std::string label;
  std::string destination;
};

struct ProbePlan {
  std::vector<std::string> names;          ///< every member's name, for getent hosts
  std::vector<SshProbeTarget> ssh_targets;  ///< the logins this node tries
  std::string program;                     ///< --program PATH; empty: not asked
  int port = kProbePort;                   ///< 0: start no listener
  int expected_connections = 0;            ///< the listener ends after this many (or kListenSeconds)
};

/// The probe script for `plan`.
std::string probe_script(const ProbePlan& plan);

/// The script that tries each login of `targets` at once and prints one frame `ssh:LABEL`
/// each: the exit status, a newline, what ssh wrote on stderr. Needs framed() around it.
std::string login_script(const std::vector<SshProbeTarget>& targets);

/// `script` with the frame printer `e KEY VALUE` defined before it.
std::string framed(const std::string& script);

/// A login a node tried: its exit status and what ssh wrote on stderr.
struct SshAttempt {
  int exit_code = -1;
  std::string err;
};

/// `ls -ldn`-like facts of one path: octal mode, owner's uid, path; missing when absent.
struct PathMode {
  std::string path;
  bool exists = false;
  int mode = 0;
  int uid = -1;
};

/// What a probe reported about its node.
struct NodeProbe {
  std::string hostname;
  std::string user;
  int uid = -1;
  std::string machine_id;
  std::vector<std::string> host_keys;        ///< "TYPE BASE64" of each /etc/ssh/ssh_host_*_key.pub
  std::vector<std::string> user_keys;        ///< "TYPE BASE64" of ~/.ssh/id_*.pub
  std::vector<std::string> authorized_keys;  ///< "TYPE BASE64" of each line of ~/.ssh/authorized_keys
  std::vector<PathMode> modes;               ///< ~, ~/.ssh, ~/.ssh/authorized_keys
  std::vector<std::string> tcp_wrappers;     ///< non-comment lines of hosts.allow/deny: "/etc/hosts.deny:3: sshd: ALL"
  /// Where an enabled cloud-init is told whether to manage /etc/hosts, in the order it
  /// reads them (the last word wins): "/boot/firmware/user-data:7:manage_etc_hosts: true",
  /// and the header of an /etc/hosts it rendered. Empty without cloud-init.
  std::vector<std::string> cloud_hosts;
  std::map<std::string, std::string> resolved;  ///< name -> the IPv4 address it resolves to ("" for none)
  std::string mpiexec_path, mpiexec_version;    ///< `command -v mpiexec`, its --version output
  std::string mpicc_path, mpicc_show;           ///< `command -v mpicc`, its -show/--showme output
  std::vector<std::string> interfaces;          ///< "eth0 198.18.7.11/24" per IPv4 address but loopback
  std::optional<long long> free_kb;             ///< available in the home's filesystem
  std::string program_sum;                      ///< sha256 of --program; "" when missing or not asked
  std::string listener;                         ///< "listening", or why not
  std::map<std::string, SshAttempt> ssh;        ///< by target label
};

/// Parses a probe's whole stdout, frames of `KEY LENGTH\nVALUE\n`. Fails on a header that
/// is not `KEY LENGTH` or a value cut short.
Result<NodeProbe> parse_probe(std::string_view output);

/// The script that prints the node's clock first, "clock 1700000000.250" (a short job
/// started at a known time: the doctor's clock reading), then tries a TCP connection to
/// `port` on each of `addresses` at once, each within `timeout`, printing one line per
/// address: "198.18.7.12 ok" or "198.18.7.12 fail Connection refused".
std::string connect_script(const std::vector<std::string>& addresses, int port, std::chrono::seconds timeout);

/// Parses connect_script()'s output: address -> "" when it connected, else the reason.
/// The clock line is not an address: it is skipped.
std::map<std::string, std::string> parse_connect_output(std::string_view output);

/// "TYPE BASE64" of each key line of `text` (see public_key_of), skipping others.
std::vector<std::string> key_lines(std::string_view text);

}  // namespace beowulf::cluster
