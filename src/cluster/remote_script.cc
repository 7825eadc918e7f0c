#include "cluster/remote_script.h"

#include <fmt/core.h>

#include "core/base64.h"

namespace beowulf::cluster {
std::string literal(std::string_view text) {
  return fmt::format("\"$(printf %s '{}' | base64 -d)\"", base64_encode(text));
}

namespace {

/// w FILE BASE64 MODE: writes FILE atomically through FILE.beowulf-new. mv fails on a
/// file that is itself a mount point (containers bind-mount /etc/hosts): then copy in place.
constexpr const char* kWriteFunction =
    "w() { printf %s \"$2\" | base64 -d > \"$1.beowulf-new\" && chmod \"$3\" \"$1.beowulf-new\" && "
    "{ mv -f \"$1.beowulf-new\" \"$1\" 2>/dev/null || { cat \"$1.beowulf-new\" > \"$1\" && rm -f \"$1.beowulf-new\"; }; }; }\n";

std::string write_line(std::string_view file, const std::string& content, std::string_view mode) {
  return fmt::format("w {} '{}' {}\n", file, base64_encode(content), mode);
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
      "  chmod 600 \"$f.beowulf-new\" && mv -f \"$f.beowulf-new\" \"$f\"\n"
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

std::string apply_script(const NodeChanges& changes) {
  std::string script = "set -e\numask 077\n";
  script += kWriteFunction;
  if (changes.authorized_keys) script += write_line("~/.ssh/authorized_keys", *changes.authorized_keys, "600");
  if (changes.known_hosts) script += write_line("~/.ssh/known_hosts", *changes.known_hosts, "644");
  if (!changes.needs_root()) return script;

  std::string root = "set -e\numask 022\n";
  root += kWriteFunction;
  if (changes.hostname) {
    root += write_line("/etc/hostname", *changes.hostname + "\n", "644");
    root += fmt::format("hostname {}\n", *changes.hostname);
  }
  if (changes.etc_hosts) root += write_line("/etc/hosts", *changes.etc_hosts, "644");
  return script + as_root_script(root);
}

std::string as_root_script(std::string_view root_script) {
  // sudo -S reads exactly one line; where sudo needs no password that line is ours to drop.
  return fmt::format(
      "root={}\n"
      "if sudo -n true 2>/dev/null; then read -r _ || true; sudo -n sh -c \"$root\"; "
      "else sudo -S -p '' sh -c \"$root\"; fi\n",
      literal(root_script));
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
      "chmod 600 \"$f.beowulf-new\" && mv -f \"$f.beowulf-new\" \"$f\"\n",
      literal(public_keys));
}

}  // namespace beowulf::cluster
