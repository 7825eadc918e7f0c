#include "sys/inventory_file.h"

#include <gtest/gtest.h>

#include "sys/temp_dir.h"

#include <cstdlib>
#include <filesystem>

#include "sys/atomic_file.h"
#include "sys/paths.h"

namespace beowulf::sys {
namespace {

namespace fs = std::filesystem;

class InventoryFile : public ::testing::Test {
 protected:
  sys::TempDir temp_;  // removed with everything in it after the test
  void SetUp() override {
    ASSERT_FALSE(temp_.path().empty());
    dir_ = temp_.path();
  }
  std::string dir_;
};

TEST_F(InventoryFile, SavesIntoANewFolderAndLoadsBack) {
  Inventory inventory;
  inventory.set_name("pi");
  ASSERT_TRUE(inventory.put(Node{"master", parse_ipv4("198.18.0.10").value(), "linaro", 2, Role::master, "", ""}));
  std::string path = dir_ + "/.beowulf/cluster.toml";
  ASSERT_TRUE(save_inventory(path, inventory));
  EXPECT_EQ(fs::status(dir_ + "/.beowulf").permissions(), fs::perms::owner_all);
  EXPECT_EQ(load_inventory(path).value(), inventory);
}

TEST_F(InventoryFile, AMissingFileMeansNoClusterHere) {
  auto loaded = load_inventory(dir_ + "/cluster.toml");
  ASSERT_FALSE(loaded);
  EXPECT_EQ(loaded.error().what, "no cluster here: " + dir_ + "/cluster.toml does not exist");
  EXPECT_EQ(loaded.error().hint, "run 'beowulf init' on the master first");
  EXPECT_EQ(loaded.error().kind, ErrorKind::failed);
}

TEST_F(InventoryFile, ErrorsNameTheFileAsTheUserWritesIt) {
  const char* old = std::getenv("HOME");
  std::string saved = old ? old : "";
  ::setenv("HOME", dir_.c_str(), 1);
  ASSERT_TRUE(write_file_atomically(dir_ + "/cluster.toml", "schema = 1\nnmae = \"pi\"\n"));
  auto loaded = load_inventory(dir_ + "/cluster.toml");
  old ? ::setenv("HOME", saved.c_str(), 1) : ::unsetenv("HOME");
  ASSERT_FALSE(loaded);
  EXPECT_EQ(loaded.error().what, "~/cluster.toml:2: unknown key 'nmae'");
  EXPECT_EQ(loaded.error().kind, ErrorKind::bad_input);
}

}  // namespace
}  // namespace beowulf::sys
