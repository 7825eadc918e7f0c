#include "cluster/users_script.h"

#include <fmt/core.h>

#include "cluster/remote_script.h"

namespace beowulf::cluster {
namespace {

/// put FILE MODE OWNER CONTENT: writes CONTENT and a newline to FILE with MODE, owned by OWNER.
constexpr const char* kPutFunction =
    "put() { printf '%s\\n' \"$4\" > \"$1.beowulf-new\" && chmod \"$2\" \"$1.beowulf-new\" && "
    "chown \"$3\" \"$1.beowulf-new\" && mv -f \"$1.beowulf-new\" \"$1\"; }\n";

/// block FILE OWNER LINES: FILE with its `# BEGIN beowulf` block (made when missing) holding LINES.
constexpr const char* kBlockFunction =
    "block() { touch \"$1\"; awk '/^# BEGIN beowulf$/{skip=1} !skip{print} /^# END beowulf$/{skip=0}' \"$1\" > \"$1.beowulf-new\" && "
    "printf '# BEGIN beowulf\\n%s\\n# END beowulf\\n' \"$3\" >> \"$1.beowulf-new\" && chmod 600 \"$1.beowulf-new\" && "
    "chown \"$2\" \"$1.beowulf-new\" && mv -f \"$1.beowulf-new\" \"$1\"; }\n";

std::string without_final_newline(std::string text) {
  while (!text.empty() && text.back() == '\n') text.pop_back();
  return text;
}

std::string change_script(const UserChange& c, bool set_password) {
  const Account& a = c.account;
  std::string owner = fmt::format("{}:{}", a.uid, a.gid);
  std::string s;
  if (c.create) {
    s += fmt::format("getent group {0} >/dev/null || groupadd -g {1} {0}\n", a.name, a.gid);
    s += fmt::format("useradd -m -u {} -g {} -d {} -s {} {}\n", a.uid, a.gid, a.home, a.shell, a.name);
    s += fmt::format("echo 'change {} created with UID {}'\n", a.name, a.uid);
    // Without a password: '*', no password login; useradd's '!' would lock the account,
    // and sshd refuses even key logins to a locked account.
    if (set_password) s += fmt::format("printf '%s:%s\\n' {} \"$pw\" | chpasswd\n", a.name);
    else s += fmt::format("usermod -p '*' {}\n", a.name);
  }
  if (c.fix_ids) {
    s += fmt::format("g=$(getent group {0} | cut -d: -f3)\n"
                     "if [ -z \"$g\" ]; then groupadd -g {1} {0}; elif [ \"$g\" != {1} ]; then groupmod -g {1} {0}; fi\n"
                     "[ \"$(id -u {0})\" = {2} ] || usermod -u {2} {0}\n"
                     "[ \"$(id -g {0})\" = {1} ] || usermod -g {1} {0}\n",
                     a.name, a.gid, a.uid);
    s += fmt::format("echo 'change {} UID and GID set to {} and {}'\n", a.name, a.uid, a.gid);
  }
  if (c.make_home) {
    s += fmt::format("if [ ! -d {0} ]; then mkdir -p {0} && cp -rT /etc/skel {0} && chown -R {1} {0} && chmod 700 {0}; "
                     "echo 'change {2} home {0} made'; fi\n",
                     a.home, owner, a.name);
  }
  if (c.keys) {
    std::string ssh = a.home + "/.ssh";
    s += fmt::format("mkdir -p {0} && chown {1} {0} && chmod 700 {0}\n", ssh, owner);
    s += fmt::format("put {}/id_ed25519 600 {} {}\n", ssh, owner, literal(without_final_newline(c.keys->private_key)));
    s += fmt::format("put {}/id_ed25519.pub 644 {} {}\n", ssh, owner, literal(without_final_newline(c.keys->public_key)));
    s += fmt::format("block {}/authorized_keys {} {}\n", ssh, owner, literal(without_final_newline(c.keys->public_key)));
    s += fmt::format("block {}/known_hosts {} {}\n", ssh, owner, literal(without_final_newline(c.keys->known_hosts)));
    s += fmt::format("echo 'change {} ssh key trusted'\n", a.name);
  }
  if (!c.extra_file.empty()) {
    std::string dir = a.home + "/.beowulf";
    s += fmt::format("mkdir -p {0} && chown {1} {0} && chmod 700 {0}\n", dir, owner);
    s += fmt::format("put {}/cluster.toml 600 {} {}\n", dir, owner, literal(without_final_newline(c.extra_file)));
  }
  return s;
}

}  // namespace

std::string accounts_script(const std::vector<std::string>& names) {
  std::string s = "getent passwd | sed 's/^/passwd /' && getent group | sed 's/^/group /' || exit 1\n";
  for (const auto& name : names)
    s += fmt::format("h=$(getent passwd {0} | cut -d: -f6); [ -n \"$h\" ] && [ -d \"$h\" ] && echo 'home {0}'\n", name);
  return s + "exit 0\n";
}

std::string users_apply_script(const std::vector<UserChange>& changes, bool set_password) {
  std::string s = "set -e\numask 022\n";
  s += kPutFunction;
  s += kBlockFunction;
  if (set_password) s += "IFS= read -r pw || true\n";
  for (const auto& c : changes) s += change_script(c, set_password);
  return s;
}

std::string users_remove_script(const std::vector<std::string>& names) {
  std::string s = "set -e\n";
  for (const auto& name : names)
    s += fmt::format("if getent passwd {0} >/dev/null; then userdel -r {0} 2>/dev/null || userdel {0}; "
                     "echo 'change {0} removed'; fi\n",
                     name);
  return s;
}

}  // namespace beowulf::cluster
