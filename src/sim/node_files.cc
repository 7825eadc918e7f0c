#include "sim/node_files.h"

#include <fmt/core.h>

#include <set>
#include <sstream>
#include <vector>

namespace beowulf::sim {
namespace {

std::vector<std::string> fields(const std::string& line) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (;;) {
    auto colon = line.find(':', start);
    out.push_back(line.substr(start, colon - start));
    if (colon == std::string::npos) return out;
    start = colon + 1;
  }
}

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

std::string joined(const std::vector<std::string>& parts, char separator) {
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) out += (i ? std::string(1, separator) : "") + parts[i];
  return out;
}

/// `text` without the entries (first field) called `name`.
std::string without_entry(const std::string& text, const std::string& name) {
  std::string out;
  for (const auto& line : lines(text))
    if (fields(line)[0] != name) out += line + "\n";
  return out;
}

/// `text` (group or gshadow) with `user` added to the members field `index` of group `group`;
/// a group line `fresh` is appended when the group is missing.
std::string with_member(const std::string& text, const std::string& group, std::size_t index,
                        const std::string& user, const std::string& fresh) {
  std::string out;
  bool found = false;
  for (const auto& line : lines(text)) {
    auto f = fields(line);
    if (f[0] == group && f.size() > index) {
      found = true;
      f[index] += (f[index].empty() ? "" : ",") + user;
      out += joined(f, ':') + "\n";
    } else {
      out += line + "\n";
    }
  }
  if (!found) out += fresh + "\n";
  return out;
}

unsigned first_free_id(const AccountFiles& files) {
  std::set<unsigned> used;
  for (const auto* text : {&files.passwd, &files.group})
    for (const auto& line : lines(*text)) {
      auto f = fields(line);
      for (std::size_t i : {std::size_t{2}, std::size_t{3}})
        if (f.size() > i && !f[i].empty() && f[i].find_first_not_of("0123456789") == std::string::npos &&
            f[i].size() < 10)
          used.insert(static_cast<unsigned>(std::stoul(f[i])));
    }
  unsigned id = 1000;
  while (used.count(id) != 0) ++id;
  return id;
}

}  // namespace

AccountFiles with_board_user(AccountFiles files, const Profile& profile, const std::string& password_hash) {
  const std::string& user = profile.user;
  files.passwd = without_entry(files.passwd, user);
  files.shadow = without_entry(files.shadow, user);
  files.group = without_entry(files.group, user);
  files.gshadow = without_entry(files.gshadow, user);
  unsigned id = first_free_id(files);
  files.passwd += fmt::format("{0}:x:{1}:{1}:{0},,,:/home/{0}:/bin/bash\n", user, id);
  files.shadow += fmt::format("{}:{}::0:99999:7:::\n", user, password_hash);
  files.group += fmt::format("{}:x:{}:\n", user, id);
  files.gshadow += fmt::format("{}:!::\n", user);
  files.group = with_member(files.group, "sudo", 3, user, "sudo:x:27:" + user);
  files.gshadow = with_member(files.gshadow, "sudo", 3, user, "sudo:*::" + user);
  return files;
}

std::optional<PasswdEntry> find_user(const std::string& passwd, const std::string& user) {
  for (const auto& line : lines(passwd)) {
    auto f = fields(line);
    if (f.size() != 7 || f[0] != user) continue;
    try {
      return PasswdEntry{f[0], static_cast<unsigned>(std::stoul(f[2])), static_cast<unsigned>(std::stoul(f[3])),
                         f[5], f[6]};
    } catch (const std::exception&) {
      return std::nullopt;
    }
  }
  return std::nullopt;
}

std::string hosts_file(const Profile& profile) {
  return fmt::format(
      "127.0.0.1\tlocalhost\n"
      "127.0.1.1\t{}\n"
      "\n"
      "# The following lines are desirable for IPv6 capable hosts\n"
      "::1     localhost ip6-localhost ip6-loopback\n"
      "ff02::1 ip6-allnodes\n"
      "ff02::2 ip6-allrouters\n",
      profile.hostname);
}

std::string sshd_config(const std::string& address) {
  return fmt::format(
      "# This node's sshd, written by 'beowulf sim up': password login is on and nothing\n"
      "# is trusted yet, as on a freshly flashed board.\n"
      "ListenAddress {}\n"
      "ListenAddress 127.0.0.1\n"
      "HostKey /etc/ssh/ssh_host_ecdsa_key\n"
      "HostKey /etc/ssh/ssh_host_ed25519_key\n"
      "PasswordAuthentication yes\n"
      "KbdInteractiveAuthentication no\n"
      "PubkeyAuthentication yes\n"
      "PermitRootLogin prohibit-password\n"
      "UsePAM no\n"
      "PidFile /run/sshd.pid\n"
      "PrintMotd no\n"
      "MaxStartups 100:30:200\n"
      "MaxSessions 100\n"
      "AcceptEnv LANG LC_*\n"
      "Subsystem sftp /usr/lib/openssh/sftp-server\n",
      address);
}

std::string sudoers_rule() {
  return "# The board's user is in the sudo group; sudo asks for its password.\n"
         "%sudo\tALL=(ALL:ALL) ALL\n";
}

std::string master_sudoers_rule(const std::string& user) {
  return fmt::format("# The master's admin lets the cluster's user use sudo without a password.\n"
                     "{}\tALL=(ALL:ALL) NOPASSWD: ALL\n",
                     user);
}

}  // namespace beowulf::sim
