#include "cluster/remote_script.h"

#include <fmt/core.h>

#include "core/base64.h"

namespace beowulf::cluster {
std::string literal(std::string_view text) {
  return fmt::format("\"$(printf %s '{}' | base64 -d)\"", base64_encode(text));
}

namespace {

/// w FILE BASE64 MODE READ: writes FILE atomically through FILE.beowulf-new, synced
/// before the rename, unless FILE no longer holds READ ("-": missing, "=BASE64": that
/// content), what it held when beowulf read it. mv fails on a file that is itself a mount
/// point (containers bind-mount /etc/hosts): then copy in place.
constexpr const char* kWriteFunction =
    "w() {\n"
    "  printf %s \"$2\" | base64 -d > \"$1.beowulf-new\" && chmod \"$3\" \"$1.beowulf-new\" && "
    "sync \"$1.beowulf-new\" || return 1\n"
    "  if [ \"$4\" = - ]; then [ ! -e \"$1\" ]; else [ -f \"$1\" ] && [ \"$(base64 -w0 < \"$1\")\" = \"${4#=}\" ]; fi || {\n"
    "    rm -f \"$1.beowulf-new\"; echo \"$1 changed since beowulf read it: not overwritten\" >&2; return 1; }\n"
    "  mv -f \"$1.beowulf-new\" \"$1\" 2>/dev/null || { cat \"$1.beowulf-new\" > \"$1\" && sync \"$1\" && rm -f \"$1.beowulf-new\"; }\n"
    "}\n";

/// The READ argument of w for what a file held: "-" when missing, else "=BASE64".
std::string read_token(const std::optional<std::string>& read) {
  return read ? "=" + base64_encode(*read) : "-";
}

std::string write_line(std::string_view file, const std::string& content, std::string_view mode,
                       const std::optional<std::string>& read) {
  return fmt::format("w {} '{}' {} '{}'\n", file, base64_encode(content), mode, read_token(read));
}

/// Gives `user` password-less sudo, as root, through a file visudo checked first.
std::string grant_sudo_script(std::string_view user) {
  std::string rule = fmt::format(
      "# Written by beowulf add: the cluster's user needs no password for sudo.\n{} ALL=(ALL) NOPASSWD: ALL\n", user);
  // sudo ignores files in sudoers.d whose names hold a '.': the temporary file is inert.
  // The last rule that matches wins and the files are read in name order: "zz_" comes
  // after a distribution's own drop-ins (Raspberry Pi OS's 010_pi-nopasswd, %sudo rules).
  return fmt::format(
      "s=/etc/sudoers.d/zz_beowulf-nopasswd\n"
      "if [ -d /etc/sudoers.d ]; then\n"
      "  {{ printf %s '{}' | base64 -d > \"$s.beowulf-new\" && chmod 440 \"$s.beowulf-new\" && "
      "visudo -cqf \"$s.beowulf-new\" && sync \"$s.beowulf-new\" && mv -f \"$s.beowulf-new\" \"$s\"; }} || "
      "{{ rm -f \"$s.beowulf-new\"; echo 'could not give the user password-less sudo' >&2; exit 1; }}\n"
      "fi\n",
      base64_encode(rule));
}

}  // namespace

std::string authorize_key_script(std::string_view public_key) {
  return fmt::format(
      "set -e\n"
      "umask 077\n"
      "k={}\n"
      "mkdir -p ~/.ssh && chmod 700 ~/.ssh\n"
      "f=~/.ssh/authorized_keys\n"
      "[ -f \"$f\" ] || : > \"$f\"\n"
      "chmod 600 \"$f\"\n"
      "grep -qxF \"$k\" \"$f\" && exit 0\n"
      "if grep -qx '# BEGIN beowulf' \"$f\"; then\n"
      "  awk -v k=\"$k\" '{{print}} $0 == \"# BEGIN beowulf\" {{print k}}' \"$f\" > \"$f.beowulf-new\"\n"
      "  chmod 600 \"$f.beowulf-new\" && sync \"$f.beowulf-new\" && mv -f \"$f.beowulf-new\" \"$f\"\n"
      "else\n"
      "  if [ -s \"$f\" ] && [ -n \"$(tail -c 1 \"$f\")\" ]; then echo >> \"$f\"; fi\n"
      "  printf '%s\\n' '# BEGIN beowulf' \"$k\" '# END beowulf' >> \"$f\"\n"
      "fi\n",
      literal(public_key));
}

std::string gather_script(std::string_view name) {
  return fmt::format(
      "umask 077\n"
      "mkdir -p ~/.ssh && chmod 700 ~/.ssh || exit 1\n"
      "k=~/.ssh/id_ed25519\n"
      "if [ ! -f $k ]; then ssh-keygen -q -t ed25519 -N '' -C \"$(id -un)@{}\" -f $k </dev/null >/dev/null || exit 1; fi\n"
      "if [ ! -f $k.pub ]; then ssh-keygen -y -f $k > $k.pub || exit 1; fi\n"
      "put() {{ if [ -f \"$2\" ]; then printf '%s =' \"$1\"; base64 -w0 < \"$2\" || exit 1; echo; else echo \"$1 -\"; fi; }}\n"
      "echo \"hostname $(uname -n)\"\n"
      "echo \"cores $(nproc 2>/dev/null || echo 1)\"\n"
      // The userland's architecture, not the kernel's (uname -m): a 32-bit Raspberry Pi OS
      // on a 64-bit kernel runs armhf programs. Without dpkg, /bin/sh's ELF machine.
      "a=$(dpkg --print-architecture 2>/dev/null) || case $(od -An -tu2 -j18 -N2 /bin/sh | tr -d ' ') in\n"
      "  40) a=armhf ;; 183) a=arm64 ;; 62) a=amd64 ;; 3) a=i386 ;; *) a= ;; esac\n"
      "echo \"arch $a\"\n"
      "put etc_hostname /etc/hostname\n"
      "put etc_hosts /etc/hosts\n"
      "put authorized_keys ~/.ssh/authorized_keys\n"
      "put known_hosts ~/.ssh/known_hosts\n"
      "put user_key $k.pub\n"
      "printf 'host_keys ='; cat /etc/ssh/ssh_host_*_key.pub | base64 -w0; echo\n",
      name);
}

std::string apply_script(const NodeChanges& changes, const SudoAccess& sudo) {
  std::string script = "set -e\numask 077\n";
  script += kWriteFunction;
  if (changes.authorized_keys)
    script += write_line("~/.ssh/authorized_keys", *changes.authorized_keys, "600", changes.read.authorized_keys);
  if (changes.known_hosts)
    script += write_line("~/.ssh/known_hosts", *changes.known_hosts, "644", changes.read.known_hosts);
  if (!changes.needs_root()) return script;

  std::string root = "set -e\numask 022\n";
  root += kWriteFunction;
  if (changes.hostname) {
    root += write_line("/etc/hostname", *changes.hostname + "\n", "644", changes.read.etc_hostname);
    root += fmt::format("hostname {}\n", *changes.hostname);
  }
  if (changes.etc_hosts) root += write_line("/etc/hosts", *changes.etc_hosts, "644", changes.read.etc_hosts);
  if (!sudo.password_on_stdin) return script + sudo_n_script(root);
  if (sudo.grant_to.empty()) return script + as_root_script(root);
  return script + fmt::format(
                      "root={}\ngrant={}\n"
                      "if sudo -n true 2>/dev/null; then read -r _ || true; sudo -n sh -c \"$root\"; "
                      "else sudo -S -p '' sh -c \"$root\n$grant\"; fi\n",
                      literal(root), literal(grant_sudo_script(sudo.grant_to)));
}

std::string as_root_script(std::string_view root_script) {
  // sudo -S reads exactly one line; where sudo needs no password that line is ours to drop.
  return fmt::format(
      "root={}\n"
      "if sudo -n true 2>/dev/null; then read -r _ || true; sudo -n sh -c \"$root\"; "
      "else sudo -S -p '' sh -c \"$root\"; fi\n",
      literal(root_script));
}

std::string sudo_n_script(std::string_view root_script) {
  return fmt::format("root={}\nsudo -n sh -c \"$root\"\n", literal(root_script));
}

std::string prove_script(std::string_view master_name) {
  // Every node proves at once: beyond sshd's MaxStartups (10 unauthenticated connections)
  // the master drops some at random, so a connection closed before login is tried again.
  return fmt::format(
      "uname -n || exit 1\n"
      "e=$(mktemp) || exit 1\n"
      "for wait in 1 2 3 4 0; do\n"
      "  ssh -o BatchMode=yes -o ConnectTimeout=10 {} uname -n 2>\"$e\" && {{ rm -f \"$e\"; exit 0; }}\n"
      "  grep -qE 'Connection (closed|reset)|kex_exchange_identification' \"$e\" && [ $wait -gt 0 ] || break\n"
      "  sleep $wait\n"
      "done\n"
      "cat \"$e\" >&2; rm -f \"$e\"; exit 1\n",
      master_name);
}

std::string revoke_keys_script(std::string_view public_keys) {
  return fmt::format(
      "set -e\n"
      "f=~/.ssh/authorized_keys\n"
      "[ -f \"$f\" ] || exit 0\n"
      "printf '%s\\n' {} > \"$f.beowulf-revoke\"\n"
      "grep -vxFf \"$f.beowulf-revoke\" \"$f\" > \"$f.beowulf-new\" || true\n"
      "rm -f \"$f.beowulf-revoke\"\n"
      "chmod 600 \"$f.beowulf-new\" && sync \"$f.beowulf-new\" && mv -f \"$f.beowulf-new\" \"$f\"\n",
      literal(public_keys));
}

}  // namespace beowulf::cluster
