#include "image/personalizer.h"

#include <fmt/core.h>

#include "core/etc_files.h"
#include "image/ext_fs.h"
#include "image/image_map.h"
#include "image/partition_table.h"
#include "image/target.h"

namespace beowulf::image {

const char* const kHostKeysUnit = R"([Unit]
Description=Make this clone's own SSH host keys (written by beowulf image personalize)
ConditionPathExistsGlob=!/etc/ssh/ssh_host_*_key
Before=ssh.service sshd.service

[Service]
Type=oneshot
ExecStart=/usr/bin/ssh-keygen -A

[Install]
WantedBy=multi-user.target
)";

namespace {

constexpr const char* kUnitPath = "/etc/systemd/system/beowulf-ssh-host-keys.service";

/// Units with which distributions already make missing host keys at boot.
constexpr const char* kKnownKeyMakers[] = {
    "/lib/systemd/system/regenerate_ssh_host_keys.service",  // Raspberry Pi OS
    "/usr/lib/systemd/system/regenerate_ssh_host_keys.service",
    "/usr/lib/systemd/system/sshdgenkeys.service",           // Arch Linux ARM
    "/lib/systemd/system/sshd-keygen.target",                 // Fedora
    "/usr/lib/systemd/system/sshd-keygen.target",
    "/usr/lib/systemd/system/sshd-keygen@.service",
    "/etc/systemd/system/beowulf-ssh-host-keys.service",
};

/// The byte offset of the ext partition holding /etc/passwd.
Result<uint64_t> find_root(const std::string& path) {
  auto table = read_partition_table(path);
  if (!table) return table.error();
  std::vector<uint64_t> starts;
  for (const auto& p : table->partitions) starts.push_back(p.start);
  if (table->label.empty()) starts = {0};
  for (uint64_t start : starts) {
    if (!is_ext_filesystem(path, start)) continue;
    auto fs = ExtFs::open(path, start, false);
    if (!fs) return fs.error();  // an ext filesystem we cannot even read: say why
    if (fs->exists("/etc/passwd")) return start;
  }
  return bad_input(fmt::format("{}: no ext2/3/4 partition holds /etc/passwd: it is not a Linux root filesystem", path));
}

FileOwner owner_or(ExtFs& fs, const std::string& file, FileOwner fallback) {
  auto owner = fs.owner(file);
  return owner ? FileOwner{owner->mode & 07777, owner->uid, owner->gid} : fallback;
}

class Editor {
 public:
  Editor(ExtFs& fs, PersonalizeResult& result) : fs_(fs), result_(result) {}

  Status hostname(const std::string& name) {
    if (auto ok = fs_.write_file("/etc/hostname", name + "\n", owner_or(fs_, "/etc/hostname", {0644, 0, 0})); !ok) return ok;
    result_.changed.push_back("/etc/hostname");
    auto hosts = fs_.read_file("/etc/hosts");
    std::string text = hosts ? *hosts : "127.0.0.1\tlocalhost\n";
    if (auto ok = fs_.write_file("/etc/hosts", with_own_name(text, name), owner_or(fs_, "/etc/hosts", {0644, 0, 0})); !ok) return ok;
    result_.changed.push_back("/etc/hosts");
    return {};
  }

  Status authorized_key(const PasswdEntry& user, const std::string& key) {
    std::string ssh = user.home + "/.ssh", keys = ssh + "/authorized_keys";
    if (!fs_.exists(user.home)) return Error{fmt::format("the user's home {} does not exist in the image", user.home)};
    if (auto ok = fs_.make_dir(ssh, {0700, user.uid, user.gid}); !ok) return ok;
    auto old = fs_.read_file(keys);
    if (auto ok = fs_.write_file(keys, with_authorized_key(old ? *old : "", key), {0600, user.uid, user.gid}); !ok) return ok;
    result_.changed.push_back(keys);
    return {};
  }

  Status new_host_keys() {
    if (auto names = fs_.list_dir("/etc/ssh")) {
      for (const auto& name : *names) {
        if (name.rfind("ssh_host_", 0) != 0) continue;
        if (auto ok = fs_.remove("/etc/ssh/" + name); !ok) return ok;
        result_.changed.push_back("/etc/ssh/" + name);
      }
    }
    if (fs_.exists("/etc/machine-id")) {
      if (auto ok = fs_.write_file("/etc/machine-id", "", owner_or(fs_, "/etc/machine-id", {0444, 0, 0})); !ok) return ok;
      result_.changed.push_back("/etc/machine-id");
    }
    return host_keys_at_boot();
  }

 private:
  /// Arranges that the clone makes its host keys at first boot, unless its system does.
  Status host_keys_at_boot() {
    for (const char* unit : kKnownKeyMakers)
      if (fs_.exists(unit)) return {};
    if (!fs_.exists("/etc/systemd/system")) {
      result_.notes.push_back("the image has no systemd: run 'ssh-keygen -A' on the clone before ssh starts");
      return {};
    }
    if (auto ok = fs_.write_file(kUnitPath, kHostKeysUnit, {0644, 0, 0}); !ok) return ok;
    if (auto ok = fs_.make_dir("/etc/systemd/system/multi-user.target.wants", {0755, 0, 0}); !ok) return ok;
    if (auto ok = fs_.make_symlink("/etc/systemd/system/multi-user.target.wants/beowulf-ssh-host-keys.service", kUnitPath); !ok)
      return ok;
    result_.changed.push_back(kUnitPath);
    return {};
  }

  ExtFs& fs_;
  PersonalizeResult& result_;
};

}  // namespace

Result<PersonalizeResult> personalize(const std::string& path, const Personalization& what) {
  if (auto ok = check_hostname(what.hostname); !ok) return ok.error();
  if (auto ok = check_not_in_use(path); !ok) return ok.error();
  auto root = find_root(path);
  if (!root) return root.error();
  auto fs = ExtFs::open(path, *root, true);
  if (!fs) return fs.error();
  auto passwd = fs->read_file("/etc/passwd");
  if (!passwd) return passwd.error();
  auto user = find_user(*passwd, what.user);
  if (!what.authorized_key.empty() && !user)
    return bad_input(fmt::format("{}: the image has no user '{}' in /etc/passwd", path, what.user),
                     "name the image's user with --user");

  PersonalizeResult result{.root_offset = *root};
  Editor editor(*fs, result);
  if (auto ok = editor.hostname(what.hostname); !ok) return ok.error();
  if (!what.authorized_key.empty())
    if (auto ok = editor.authorized_key(*user, what.authorized_key); !ok) return ok.error();
  if (what.new_host_keys)
    if (auto ok = editor.new_host_keys(); !ok) return ok.error();
  if (auto ok = fs->close(); !ok) return ok.error();
  return result;
}

}  // namespace beowulf::image
