#pragma once
// TestCard: small real SD card images for the image tests, made as a user would without
// mounting anything: sfdisk for the table, mkfs.vfat + mtools for the boot partition,
// mkfs.ext4 -d for the root filesystem at its offset. Each test gets its own folder on
// the build's (disk-backed) filesystem, removed afterwards.

#include <fmt/core.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <string>

#include "sys/process.h"

namespace beowulf::image::testing {

namespace fs = std::filesystem;

/// Runs argv; fails the test (and returns the result) when it does not exit 0.
inline sys::ProcessResult must_run(std::vector<std::string> argv, const std::string& input = {}) {
  auto r = sys::run({.argv = argv, .env = {{"LC_ALL", "C"}}, .input = input});
  EXPECT_TRUE(r.ok()) << argv[0] << ": " << r.error().message();
  if (!r.ok()) return {};
  EXPECT_EQ(r->exit_code, 0) << argv[0] << " " << (argv.size() > 1 ? argv[1] : "") << ": " << r->err << r->out;
  return *r;
}

inline void write_text(const fs::path& file, const std::string& text) {
  fs::create_directories(file.parent_path());
  std::ofstream(file, std::ios::binary) << text;
}

inline std::string read_text(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

class TestCard : public ::testing::Test {
 public:
  enum class Vendor { raspios, raspios_cloned, cloud_init, unknown };

 protected:
  static constexpr uint64_t kBootStart = 1 << 20;   // 1 MiB
  static constexpr uint64_t kRootStart = 17 << 20;  // after 16 MiB of FAT
  static constexpr uint64_t kSize = 64 << 20;

  void SetUp() override {
    auto info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::path(BEOWULF_BINARY_DIR) / "image-test" / (std::string(info->test_suite_name()) + "." + info->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string path(const std::string& name) const { return (dir_ / name).string(); }
  std::string root_spec(const std::string& image) const { return image + "?offset=" + std::to_string(kRootStart); }

  /// A card image: a FAT boot partition holding config.txt, and an ext4 root holding a
  /// Debian-like /etc (user linaro, uid 1000, gid 1001), host keys and `data_mib` of data.
  std::string make_card(const std::string& name = "card.img", int data_mib = 4) {
    std::string image = path(name);
    must_run({"truncate", "-s", std::to_string(kSize), image});
    must_run({"sfdisk", "-q", image}, "label: dos\nstart=2048, size=32768, type=c\nstart=34816, type=83\n");
    must_run({"mkfs.vfat", "-n", "BOOT", "--offset", "2048", image, "16384"});
    write_text(dir_ / "config.txt", "arm_64bit=1\n");
    must_run({"mcopy", "-i", image + "@@1M", path("config.txt"), "::config.txt"});
    fs::path root = dir_ / "root";
    write_text(root / "etc/passwd", "root:x:0:0:root:/root:/bin/bash\nlinaro:x:1000:1001:Linaro:/home/linaro:/bin/bash\n");
    write_text(root / "etc/hostname", "linaro-nano\n");
    write_text(root / "etc/hosts", "127.0.0.1\tlocalhost\n127.0.1.1\tlinaro-nano\n");
    write_text(root / "etc/machine-id", "0123456789abcdef0123456789abcdef\n");
    write_text(root / "etc/ssh/ssh_host_ed25519_key", "PRIVATE\n");
    write_text(root / "etc/ssh/ssh_host_ed25519_key.pub", "ssh-ed25519 AAAA root@linaro-nano\n");
    write_text(root / "etc/ssh/sshd_config", "PasswordAuthentication yes\n");
    fs::create_directories(root / "etc/systemd/system");
    fs::create_directories(root / "home/linaro");
    std::string data(static_cast<size_t>(data_mib) << 20, '\0');
    std::mt19937_64 random(42);
    for (auto& c : data) c = static_cast<char>(random());
    write_text(root / "data.bin", data);
    must_run({"mkfs.ext4", "-q", "-F", "-d", root.string(), "-E", "offset=" + std::to_string(kRootStart), image,
              std::to_string((kSize - kRootStart) / 1024) + "k"});
    // mkfs -d copies owners as they are here; make home/linaro linaro's, as on a board.
    must_run({"debugfs", "-w", "-R", "set_inode_field /home/linaro uid 1000", root_spec(image)});
    must_run({"debugfs", "-w", "-R", "set_inode_field /home/linaro gid 1001", root_spec(image)});
    return image;
  }

  static constexpr uint64_t kVendorRootStart = 65 << 20;  // after 64 MiB of FAT32

  /// A vendor image as downloaded (sparse, 113 MiB): a FAT32 boot partition (64 MiB) and
  /// an ext4 root. raspios: cmdline.txt with the first-boot hook, config.txt, os-release
  /// ID=debian, raspberrypi-sys-mods' firstboot, host keys and their regenerate unit
  /// enabled, sudo, NetworkManager; raspios_cloned: the same after a first boot (hook
  /// gone); cloud_init: a NoCloud seed on the boot partition and ID=ubuntu with
  /// cloud-init; unknown: the boot partition and an empty ext4 (no Linux root).
  std::string make_vendor_card(Vendor vendor, const std::string& name = "vendor.img") {
    std::string image = path(name);
    must_run({"truncate", "-s", std::to_string(113 << 20), image});
    must_run({"sfdisk", "-q", image}, "label: dos\nstart=2048, size=131072, type=c\nstart=133120, type=83\n");
    must_run({"mkfs.vfat", "-F", "32", "-s", "1", "-n", "bootfs", "--offset", "2048", image, "65536"});
    std::string boot = image + "@@1M";
    fs::path files = dir_ / (name + ".boot");
    write_text(files / "config.txt", "arm_64bit=1\n");
    std::string cmdline = "console=serial0,115200 console=tty1 root=PARTUUID=4e639091-02 rootfstype=ext4 fsck.repair=yes rootwait";
    if (vendor == Vendor::raspios) cmdline += " quiet init=/usr/lib/raspberrypi-sys-mods/firstboot";
    write_text(files / "cmdline.txt", cmdline + "\n");
    std::vector<std::string> put = {"config.txt", "cmdline.txt"};
    if (vendor == Vendor::cloud_init) {
      write_text(files / "user-data", "#cloud-config\nhostname: ubuntu\n");
      write_text(files / "meta-data", "instance-id: ubuntu-image\n");
      write_text(files / "network-config", "network:\n  version: 2\n  ethernets:\n    eth0:\n      dhcp4: true\n");
      put.insert(put.end(), {"user-data", "meta-data", "network-config"});
    }
    for (const auto& f : put) must_run({"mcopy", "-i", boot, (files / f).string(), "::" + f});
    fs::path root = dir_ / (name + ".root");
    fs::create_directories(root);
    if (vendor != Vendor::unknown) {
      bool cloud = vendor == Vendor::cloud_init;
      write_text(root / "etc/passwd", "root:x:0:0:root:/root:/bin/bash\n");
      write_text(root / "usr/lib/os-release", cloud ? "NAME=\"Ubuntu\"\nID=ubuntu\n" : "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nID=debian\n");
      fs::create_symlink("../usr/lib/os-release", root / "etc/os-release");
      write_text(root / "etc/hostname", cloud ? "ubuntu\n" : "raspberrypi\n");
      write_text(root / "etc/hosts", "127.0.0.1\tlocalhost\n127.0.1.1\traspberrypi\n");
      write_text(root / "etc/machine-id", "0123456789abcdef0123456789abcdef\n");
      write_text(root / "etc/ssh/ssh_host_ed25519_key", "OLD PRIVATE\n");
      write_text(root / "etc/ssh/ssh_host_ed25519_key.pub", "ssh-ed25519 AAAAold root@raspberrypi\n");
      write_text(root / "etc/ssh/ssh_host_rsa_key", "OLD RSA\n");
      write_text(root / "etc/sudoers.d/README", "#\n");
      fs::create_directories(root / "etc/NetworkManager/system-connections");
      fs::create_directories(root / "etc/systemd/system/multi-user.target.wants");
      fs::create_symlink("/lib/systemd/system/regenerate_ssh_host_keys.service",
                         root / "etc/systemd/system/multi-user.target.wants/regenerate_ssh_host_keys.service");
      if (cloud) write_text(root / "etc/cloud/cloud.cfg", "datasource_list: [NoCloud]\n");
      else write_text(root / "usr/lib/raspberrypi-sys-mods/firstboot", "#!/bin/sh\n");
    }
    must_run({"mkfs.ext4", "-q", "-F", "-d", root.string(), "-E", "offset=" + std::to_string(kVendorRootStart), image,
              std::to_string(((113ull << 20) - kVendorRootStart) / 1024) + "k"});
    return image;
  }

  std::string vendor_root(const std::string& image) const { return image + "?offset=" + std::to_string(kVendorRootStart); }
  std::string vendor_boot(const std::string& image) const { return image + "@@1M"; }

  /// A file of the boot partition, read with mtools.
  std::string boot_file(const std::string& image, const std::string& file) {
    auto r = sys::run({.argv = {"mtype", "-i", vendor_boot(image), "::" + file}, .env = {{"MTOOLS_SKIP_CHECK", "1"}}});
    return r.ok() && r->ok() ? r->out : "(missing)";
  }

  /// `debugfs -R REQUEST` on the root filesystem of `image`: its standard output.
  std::string debugfs(const std::string& image, const std::string& request) {
    return must_run({"debugfs", "-R", request, root_spec(image)}).out;
  }

  fs::path dir_;
};

}  // namespace beowulf::image::testing
