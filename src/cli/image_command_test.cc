// `beowulf image` as a user runs it: the real binary, real image files, exact messages.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>
#include <sstream>

#include "image/test_card.h"
#include "sys/process.h"

namespace beowulf::cli {
namespace {

using image::testing::must_run;

const std::string kBeowulf = std::string(BEOWULF_BINARY_DIR) + "/src/cli/beowulf";

class ImageCommand : public image::testing::TestCard {
 protected:
  sys::ProcessResult beowulf(std::vector<std::string> args) {
    args.insert(args.begin(), kBeowulf);
    auto r = sys::run({.argv = args, .env = {{"NO_COLOR", "1"}}, .timeout = std::chrono::seconds(120)});
    EXPECT_TRUE(r.ok());
    return r.ok() ? *r : sys::ProcessResult{};
  }
  std::string make_key() {
    std::string key = path("master.pub");
    image::testing::write_text(key, "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMaster master@beowulf\n");
    return key;
  }
};

TEST_F(ImageCommand, RefusesTheRunningSystemsDisk) {
  std::ifstream in("/proc/self/mountinfo");
  std::string disk;
  for (std::string line; std::getline(in, line);) {
    std::istringstream f(line);
    std::string id, parent, devno, root, point, word, type, source;
    f >> id >> parent >> devno >> root >> point;
    while (f >> word && word != "-") {
    }
    f >> type >> source;
    struct stat st {};
    if (point == "/" && ::stat(source.c_str(), &st) == 0 && S_ISBLK(st.st_mode)) disk = source;
  }
  if (disk.empty()) GTEST_SKIP() << "/ is not on a block device here";
  image::testing::write_text(path("tiny.img"), std::string(4096, 'x'));
  auto r = beowulf({"image", "write", path("tiny.img"), disk, "--yes"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, fmt::format("beowulf: error: {0}: refusing to write: it holds the running system: / ({0})\n"
                               "hint: name the card's device: lsblk -o NAME,SIZE,MODEL,MOUNTPOINTS lists them\n",
                               disk));
  EXPECT_EQ(r.out, "");
}

TEST_F(ImageCommand, WritesAndVerifiesToAFile) {
  std::string card = make_card();
  auto r = beowulf({"image", "write", card, path("out.img")});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out.rfind(fmt::format("wrote {} to {}: ", card, path("out.img")), 0), 0u) << r.out;
  EXPECT_NE(r.out.find(" (map: the filesystems) in "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("; verified, read back with O_DIRECT\n"), std::string::npos) << r.out;
  EXPECT_EQ(r.err, "");  // no progress line when stderr is not a terminal

  r = beowulf({"image", "verify", card, path("out.img")});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out.rfind(fmt::format("{} matches {}: ", path("out.img"), card), 0), 0u) << r.out;
}

TEST_F(ImageCommand, BurnsOneNamedCardPerTarget) {
  std::string card = make_card();
  auto r = beowulf({"image", "burn", card, path("a.img"), path("b.img"), "--names", "worker[004-005]", "--authorized-key",
                    make_key()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(debugfs(path("a.img"), "cat /etc/hostname"), "worker004\n");
  EXPECT_EQ(debugfs(path("b.img"), "cat /etc/hostname"), "worker005\n");
  EXPECT_EQ(debugfs(path("b.img"), "cat /home/linaro/.ssh/authorized_keys"),
            "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMaster master@beowulf\n");
  EXPECT_NE(r.out.find("burned 2 cards: boot them, then 'beowulf add' each by its address\n"), std::string::npos) << r.out;
  must_run({"e2fsck", "-fn", root_spec(path("a.img"))});
}

TEST_F(ImageCommand, RefusesBadInputBeforeWritingAnything) {
  std::string card = make_card();
  auto r = beowulf({"image", "burn", card, path("a.img"), path("b.img"), "--names", "worker[004-006]", "--authorized-key",
                    make_key()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err,
            "beowulf: error: --names 'worker[004-006]' gives 3 names for 2 devices\n"
            "hint: give one name per device, in the same order\n");
  EXPECT_FALSE(std::filesystem::exists(path("a.img")));

  r = beowulf({"image", "personalize", card, "--hostname", "worker_4"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err,
            "beowulf: error: 'worker_4' is not a valid host name\n"
            "hint: use 1-63 letters, digits and hyphens, e.g. worker004\n");

  r = beowulf({"image", "expand", card, "--size", "lots"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "beowulf: error: --size 'lots' is not a size\nhint: write it like 16G, 7600M or a number of bytes\n");

  r = beowulf({"image", "expand", card, "--size", "99999999999999999999"});  // aborted the program
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "beowulf: error: --size '99999999999999999999' is too large: at most 18446744073709551615 bytes\n");
}

TEST_F(ImageCommand, VerifyFailsOnAChangedCopy) {
  std::string card = make_card();
  ASSERT_EQ(beowulf({"image", "write", card, path("out.img")}).exit_code, 0);
  {
    std::fstream f(path("out.img"), std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(static_cast<std::streamoff>(kRootStart + 2000));
    f.put('!');
  }
  auto r = beowulf({"image", "verify", card, path("out.img")});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err, fmt::format("beowulf: error: verify: {} differs from {} at byte {}\n", path("out.img"), card, kRootStart + 2000));
}

TEST_F(ImageCommand, RefusesToWriteAnImageOverItself) {
  std::string card = make_card();
  std::filesystem::create_symlink(card, path("link.img"));
  for (const std::string& target : {card, path("link.img")}) {
    auto r = beowulf({"image", "write", card, target, "--yes"});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(r.err, fmt::format("beowulf: error: {}: refusing to write: it is the image itself ({})\n"
                                 "hint: name the card's device, or a new file, as the target\n",
                                 target, card));
  }
  EXPECT_EQ(debugfs(card, "cat /etc/hostname"), "linaro-nano\n");
  auto r = beowulf({"image", "burn", card, path("a.img"), path("a.img"), "--names", "worker[1-2]", "--authorized-key", make_key()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, fmt::format("beowulf: error: {0}: named twice as a target (also as {0})\nhint: name each card once\n", path("a.img")));
  EXPECT_FALSE(std::filesystem::exists(path("a.img")));
}

TEST_F(ImageCommand, RefusesAMissingDeviceInsteadOfMakingAFileInDev) {
  std::string card = make_card();
  auto r = beowulf({"image", "write", card, "/dev/beowulf-no-such-card", "--yes"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "beowulf: error: /dev/beowulf-no-such-card: no such device: refusing to make a file in /dev\n"
                   "hint: is the card in the reader? lsblk -o NAME,SIZE,MODEL lists the devices\n");
  EXPECT_FALSE(std::filesystem::exists("/dev/beowulf-no-such-card"));
}

TEST_F(ImageCommand, OverwritesAnExistingFileOnlyWhenConfirmed) {
  std::string card = make_card();
  image::testing::write_text(path("old.img"), "keep me");
  auto r = beowulf({"image", "write", card, path("old.img")});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, fmt::format("beowulf: error: refusing to overwrite {} without confirmation: stdin is not a terminal\n"
                               "hint: check the device with lsblk (or the file), then pass --yes\n",
                               path("old.img")));
  EXPECT_EQ(image::testing::read_text(path("old.img")), "keep me");
  r = beowulf({"image", "read", card, path("old.img")});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, fmt::format("beowulf: error: {}: refusing to overwrite an existing file\n"
                               "hint: remove it first, or name a new image file\n",
                               path("old.img")));
  EXPECT_EQ(image::testing::read_text(path("old.img")), "keep me");
  r = beowulf({"image", "write", card, path("old.img"), "--yes"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(debugfs(path("old.img"), "cat /etc/hostname"), "linaro-nano\n");
}

TEST_F(ImageCommand, HelpShowsAnExample) {
  auto r = beowulf({"image", "write", "--help"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("Example:\n  beowulf image write worker.img.xz /dev/sdc"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace beowulf::cli
