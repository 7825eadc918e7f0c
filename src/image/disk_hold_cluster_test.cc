// Cards held while they are edited, tried on real block devices: the test card attached
// to a loop device (root). Labelled `cluster` because it needs root, not a sim.
#include "image/disk_hold.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "image/personalizer.h"
#include "image/target.h"
#include "image/test_card.h"

namespace beowulf::image {
namespace {

using testing::must_run;
using testing::write_text;

class DiskHoldOnALoopDevice : public testing::TestCard {
 protected:
  void SetUp() override {
    if (geteuid() != 0) GTEST_SKIP() << "needs root: the card is attached to a loop device";
    TestCard::SetUp();
  }
  /// Attaches `image` to a free loop device (no partition devices: this kernel's loop
  /// devices make none, so mounts are tried on a whole-disk filesystem).
  void attach(const std::string& image) {
    card_ = image;
    auto r = sys::run({.argv = {"losetup", "--find", "--show", image}});
    if (!r.ok() || r->exit_code != 0) GTEST_SKIP() << "no loop device here: " << (r.ok() ? r->err : r.error().message());
    loop_ = r->out.substr(0, r->out.find('\n'));
  }
  /// A root filesystem without a partition table (personalize finds it at byte 0).
  std::string make_bare_root() {
    write_text(dir_ / "bare/etc/passwd", "root:x:0:0:root:/root:/bin/bash\n");
    write_text(dir_ / "bare/etc/hostname", "linaro-nano\n");
    std::string image = path("bare.img");
    must_run({"truncate", "-s", "16M", image});
    must_run({"mkfs.ext4", "-q", "-F", "-d", (dir_ / "bare").string(), image});
    return image;
  }
  void TearDown() override {
    if (!loop_.empty()) must_run({"losetup", "-d", loop_});
    TestCard::TearDown();
  }
  std::string card_, loop_;
};

TEST_F(DiskHoldOnALoopDevice, PersonalizeRefusesACardSomeoneHoldsExclusively) {
  attach(make_card());
  int other = ::open(loop_.c_str(), O_RDONLY | O_EXCL | O_CLOEXEC);  // as a partitioner or another beowulf would
  ASSERT_GE(other, 0);
  auto result = personalize(loop_, {.hostname = "worker004"});
  ::close(other);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().message(),
            loop_ + ": refusing to edit: the device is busy (mounted, or opened exclusively elsewhere)");
  EXPECT_EQ(debugfs(card_, "cat /etc/hostname"), "linaro-nano\n");
  // and free, it is edited
  ASSERT_TRUE(personalize(loop_, {.hostname = "worker004"}).ok());
  EXPECT_EQ(debugfs(card_, "cat /etc/hostname"), "worker004\n");
}

TEST_F(DiskHoldOnALoopDevice, WhileHeldTheCardCannotBeMounted) {
  attach(make_bare_root());
  auto hold = DiskHold::take(loop_);
  ASSERT_TRUE(hold.ok()) << hold.error().message();
  must_run({"mkdir", "-p", path("mnt")});
  auto r = sys::run({.argv = {"unshare", "-m", "--propagation", "private", "mount", loop_, path("mnt")}});
  ASSERT_TRUE(r.ok());
  EXPECT_NE(r->exit_code, 0) << "mounted a partition of a held card";
}

TEST_F(DiskHoldOnALoopDevice, FindsAMountInAnotherMountNamespace) {
  attach(make_bare_root());
  must_run({"mkdir", "-p", path("mnt")});
  auto mounter = sys::Process::start(
      {.argv = {"unshare", "-m", "--propagation", "private", "sh", "-c",
                "mount " + loop_ + " " + path("mnt") + " && echo mounted && exec sleep 60"}});
  ASSERT_TRUE(mounter.ok()) << mounter.error().message();
  char line[16] = {};
  ASSERT_EQ(::read(mounter->stdout_fd(), line, 8), 8);
  ASSERT_EQ(std::string(line), "mounted\n");
  auto info = inspect_target(loop_);
  auto refused = personalize(loop_, {.hostname = "worker004"});
  mounter->kill_group(SIGTERM);
  sys::ProcessResult ended;
  mounter->wait(ended);
  ASSERT_TRUE(info.ok());
  ASSERT_EQ(info->mounted.size(), 1u);
  EXPECT_EQ(info->mounted[0].rfind(fmt::format("{} on {} (in the mount namespace of process ", loop_, path("mnt")), 0), 0u)
      << info->mounted[0];
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().message().rfind(loop_ + ": refusing to write: it is in use: " + loop_ + " on ", 0), 0u)
      << refused.error().message();
}

}  // namespace
}  // namespace beowulf::image
