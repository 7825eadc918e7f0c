#pragma once
// The shell scripts `add` runs on a node (over ssh; on the master through a local `sh -c`).
// Pure strings, POSIX sh. Data travels inside them as base64, so nothing a file holds
// can break the quoting; a password never does: when a script for a node being added
// needs root it reads the password as the first line of its stdin and hands it to
// `sudo -S`. Members get no password: their scripts use `sudo -n` (add gave their user
// password-less sudo when they joined).

#include <optional>
#include <string>
#include <string_view>

namespace beowulf::cluster {

/// A shell expression that expands to `text`, byte for byte (base64 needs no quoting).
/// Command substitution drops trailing newlines: give text without them.
std::string literal(std::string_view text);

/// Puts `public_key` into ~/.ssh/authorized_keys unless a line already holds it, inside
/// the `# BEGIN beowulf` block (made when missing); ~/.ssh 0700, the file 0600.
std::string authorize_key_script(std::string_view public_key);

/// Makes ~/.ssh/id_ed25519 when there is none (commented USER@`name`), then prints the
/// node's facts, one per line, for parse_node_facts(): its live hostname, its cores, each file
/// as `KEY =BASE64` (or `KEY -` when missing): /etc/hostname, /etc/hosts,
/// ~/.ssh/authorized_keys, ~/.ssh/known_hosts, ~/.ssh/id_ed25519.pub and the host keys.
std::string gather_script(std::string_view name);

/// What a node's files must become; a field is empty when it is right already.
struct NodeChanges {
  std::optional<std::string> hostname;         ///< set live and in /etc/hostname (root)
  std::optional<std::string> etc_hosts;        ///< the new /etc/hosts (root)
  std::optional<std::string> authorized_keys;  ///< the new ~/.ssh/authorized_keys
  std::optional<std::string> known_hosts;      ///< the new ~/.ssh/known_hosts

  /// What the files held when they were read (gather_script); nullopt: missing. A file
  /// that holds anything else just before it would be replaced is left as it is.
  struct Read {
    std::optional<std::string> etc_hostname, etc_hosts, authorized_keys, known_hosts;
  } read;

  bool needs_root() const { return hostname || etc_hosts; }
  bool empty() const { return !needs_root() && !authorized_keys && !known_hosts; }
};

/// Writes each changed file atomically (a temporary file, synced, renamed over it; copied
/// in place when the file is a mount point), with its mode (hosts and hostname 0644,
/// authorized_keys 0600, known_hosts 0644). Just before the rename it compares the file
/// with what was read (`changes.read`): a file changed since fails the script, "FILE
/// changed since beowulf read it: not overwritten", and is left as it is.
/// Root (hostname, hosts) comes from `sudo -n`, with no password, unless `sudo` says the
/// password comes first on stdin (see SudoAccess).
struct SudoAccess {
  bool password_on_stdin = false;  ///< the first line of stdin is sudo's password (dropped where sudo -n works)
  /// With the password, where sudo needed it: give this user password-less sudo
  /// (/etc/sudoers.d/zz_beowulf-nopasswd, checked by visudo), so that no later run sends
  /// the node a password again. `add` does this for the nodes it adds.
  std::string grant_to;
};
std::string apply_script(const NodeChanges& changes, const SudoAccess& sudo = {});

/// Runs `root_script` as root through sudo: where `sudo -n` needs no password the first
/// line of stdin is read and dropped, else it is the password for `sudo -S`. Exits with
/// the root script's status. For the nodes being added only.
std::string as_root_script(std::string_view root_script);

/// Runs `root_script` as root through `sudo -n`: never a password (members and the master
/// have password-less sudo since `add`); stdin goes to the root script as it is. Where
/// sudo asks anyway, it fails with sudo's "a password is required" (script_failure names it
/// with the fix).
std::string sudo_n_script(std::string_view root_script);

/// Proves the node reaches the master by name in BatchMode: prints the node's hostname,
/// then the master's, as the master answers over ssh. A connection the master closes
/// before login (sshd's MaxStartups when every node proves at once) is tried again, up
/// to 5 times; any other failure ends it with exit status 1 and ssh's message on stderr.
std::string prove_script(std::string_view master_name);

/// Removes `public_keys` (one per line) from ~/.ssh/authorized_keys, wherever they are.
std::string revoke_keys_script(std::string_view public_keys);

}  // namespace beowulf::cluster
