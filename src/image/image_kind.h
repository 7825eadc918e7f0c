#pragma once
// ImageKind: what a vendor image (or a card written from one) is, as `prepare` tells from
// its boot partition's files and its root filesystem, and so where its first boot looks
// for its settings.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"

namespace beowulf::image {

enum class ImageKind {
  raspios,     ///< Raspberry Pi OS 12: custom.toml on the FAT boot partition, read by raspberrypi-sys-mods
  cloud_init,  ///< cloud-init NoCloud seed on the FAT boot partition (Ubuntu, Raspberry Pi OS 13)
  ext_root,    ///< only an ext root filesystem to edit (a cloned card, a Parallella's)
};

/// "Raspberry Pi OS 12 (custom.toml)", "cloud-init (NoCloud)", "ext4 root filesystem".
std::string_view kind_name(ImageKind kind);

struct ImageLayout {
  ImageKind kind = ImageKind::ext_root;
  std::optional<uint64_t> boot;  ///< byte offset of the FAT boot partition
  uint64_t root = 0;             ///< byte offset of the ext root filesystem
  std::string os_id;             ///< ID= of its os-release: "raspbian", "debian", "ubuntu"
  bool hook_armed = false;       ///< Raspberry Pi OS: cmdline.txt holds the first-boot hook
};

/// Looks at `path` (image file or card): the first FAT partition is the boot partition,
/// the first ext2/3/4 one holding /etc/passwd the root. A NoCloud seed (user-data,
/// meta-data or network-config) on the boot partition, or cloud-init in the root, makes
/// it cloud_init; cmdline.txt with raspberrypi-sys-mods' firstboot in the root, raspios;
/// a root alone, ext_root. Fails (bad input) with "unknown image kind" when it has no
/// Linux root filesystem.
Result<ImageLayout> detect_image(const std::string& path);

}  // namespace beowulf::image
