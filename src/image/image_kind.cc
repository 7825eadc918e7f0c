#include "image/image_kind.h"

#include <fmt/core.h>

#include <sstream>

#include "image/ext_fs.h"
#include "image/fat_fs.h"
#include "image/first_boot.h"
#include "image/partition_table.h"

namespace beowulf::image {
namespace {

/// ID= of the root's os-release (/etc/os-release is usually a link to this one).
std::string os_id(ExtFs& fs) {
  auto text = fs.read_file("/usr/lib/os-release");
  if (!text) text = fs.read_file("/etc/os-release");
  if (!text) return {};
  std::istringstream in(*text);
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("ID=", 0) != 0) continue;
    std::string id = line.substr(3);
    if (id.size() >= 2 && (id.front() == '"' || id.front() == '\'')) id = id.substr(1, id.size() - 2);
    return id;
  }
  return {};
}

}  // namespace

std::string_view kind_name(ImageKind kind) {
  switch (kind) {
    case ImageKind::raspios: return "Raspberry Pi OS 12 (custom.toml)";
    case ImageKind::cloud_init: return "cloud-init (NoCloud)";
    case ImageKind::ext_root: return "ext4 root filesystem";
  }
  return "?";
}

Result<ImageLayout> detect_image(const std::string& path) {
  auto table = read_partition_table(path);
  if (!table) return table.error();
  std::vector<uint64_t> starts;
  for (const auto& p : table->partitions) starts.push_back(p.start);
  if (table->label.empty()) starts = {0};
  ImageLayout layout;
  std::optional<ExtFs> root;
  for (uint64_t start : starts) {
    if (!layout.boot && is_fat_filesystem(path, start)) layout.boot = start;
    if (root || !is_ext_filesystem(path, start)) continue;
    auto fs = ExtFs::open(path, start, false);
    if (!fs) return fs.error();
    if (!fs->exists("/etc/passwd")) continue;
    layout.root = start;
    root.emplace(std::move(*fs));
  }
  if (!root)
    return bad_input(fmt::format("{}: unknown image kind: no ext2/3/4 partition holds a Linux root filesystem (/etc/passwd)", path),
                     "prepare knows Raspberry Pi OS 12, cloud-init images (Ubuntu, Raspberry Pi OS 13) and cards with an ext4 root");
  layout.os_id = os_id(*root);
  bool seed = false, cmdline = false;
  if (layout.boot) {
    FatFs boot(path, *layout.boot);
    auto names = boot.list();
    if (!names) return names.error();
    for (const auto& name : *names) {
      seed = seed || name == "user-data" || name == "meta-data" || name == "network-config";
      cmdline = cmdline || name == "cmdline.txt";
    }
    if (cmdline) {
      auto text = boot.read_file("cmdline.txt");
      if (!text) return text.error();
      layout.hook_armed = has_first_boot_hook(*text);
    }
  }
  if (layout.boot && (seed || root->exists("/etc/cloud/cloud.cfg"))) layout.kind = ImageKind::cloud_init;
  else if (cmdline && root->exists("/usr/lib/raspberrypi-sys-mods/firstboot")) layout.kind = ImageKind::raspios;
  else layout.kind = ImageKind::ext_root;
  return layout;
}

}  // namespace beowulf::image
