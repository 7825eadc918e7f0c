#include "image/personalizer.h"

#include <fmt/core.h>

#include "core/etc_files.h"
#include "image/disk_hold.h"
#include "image/ext_fs.h"
#include "image/image_map.h"
#include "image/partition_table.h"
#include "image/root_edits.h"
#include "image/target.h"

namespace beowulf::image {

namespace {

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

class Editor {
 public:
  Editor(ExtFs& fs, PersonalizeResult& result) : fs_(fs), result_(result) {}

  Status hostname(const std::string& name) { return set_names(fs_, name, {}, result_.changed); }

  Status authorized_key(const PasswdEntry& user, const std::string& key) {
    return authorize_key(fs_, user, key, result_.changed);
  }

  Status host_key(const HostKeyPair& key) { return install_host_key(fs_, key, false, result_.changed); }

 private:
  ExtFs& fs_;
  PersonalizeResult& result_;
};

}  // namespace

Result<PersonalizeResult> personalize(const std::string& path, const Personalization& what) {
  if (auto ok = check_hostname(what.hostname); !ok) return ok.error();
  auto hold = DiskHold::take(path);  // held until the filesystem is written back
  if (!hold) return hold.error();
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
  if (what.host_key)
    if (auto ok = editor.host_key(*what.host_key); !ok) return ok.error();
  if (auto ok = fs->close(); !ok) return ok.error();
  return result;
}

}  // namespace beowulf::image
