// `beowulf copy` and `copy --gather` on a virtual cluster whose boards joined.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "cli/joined_cluster.h"

namespace beowulf::cli {
namespace {

class Copy : public JoinedCluster<Copy> {
 public:
  static sim::UpOptions options() { return {.workers = 2}; }
  static std::string suffix() { return "c"; }
};

TEST_F(Copy, PushesToEveryNodeKeepingTheMode) {
  ASSERT_EQ(shell("master", "mkdir -p in && printf 'row 1\\nrow 2\\n' > in/data.txt && chmod 640 in/data.txt").exit_code, 0);
  auto r = beowulf({"copy", "in/data.txt", "/tmp/"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(r.out + r.err, "");
  for (const char* node : {"node1", "node2", "master"}) {
    auto seen = shell(node, "stat -c %a /tmp/data.txt && cat /tmp/data.txt");
    EXPECT_EQ(seen.out, "640\nrow 1\nrow 2\n") << node;
  }
}

TEST_F(Copy, GathersOneFileFromEachNodeIntoItsOwnFolder) {
  auto r = beowulf({"copy", "--gather", "/etc/hostname", "names"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  auto seen = shell("master", "cat names/linaro-nano/hostname names/worker001/hostname names/worker002/hostname");
  EXPECT_EQ(seen.out, "linaro-nano\nworker001\nworker002\n");
}

TEST_F(Copy, NamesTheNodeWhereACopyFailed) {
  auto r = beowulf({"copy", "--gather", "/no/such/file", "got", "-w", "worker001"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, ::testing::HasSubstr("worker001: scp: /no/such/file: No such file or directory\n"));
}

TEST_F(Copy, RefusesAMissingSourceBeforeCopyingAnything) {
  auto r = beowulf({"copy", "missing.txt", "/tmp/"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "beowulf: error: missing.txt: no such file\n");
}

}  // namespace
}  // namespace beowulf::cli
