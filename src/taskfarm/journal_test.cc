#include "beowulf/taskfarm/journal.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

namespace beowulf {
namespace {

namespace fs = std::filesystem;

class JournalTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("journal_test." + std::to_string(getpid()));
    fs::create_directories(dir_);
    path_ = (dir_ / "run.journal").string();
  }
  void TearDown() override { fs::remove_all(dir_); }

  /// Appends records for tasks [from, to) of call 0, result "r<index>".
  void append(Journal& j, std::uint64_t from, std::uint64_t to) {
    std::vector<char> batch;
    for (auto i = from; i < to; ++i) {
      auto result = to_bytes("r" + std::to_string(i));
      Journal::encode(batch, 0, i, 1000 + i, 0, result.data(), result.size());
    }
    j.write(batch);
  }

  static std::string result_of(const Journal& j, std::uint64_t i) {
    const Journal::Record* rec = j.find(0, i);
    if (!rec) return "(none)";
    return from_bytes<std::string>(rec->result.data(), rec->result.size());
  }

  fs::path dir_;
  std::string path_;
};

TEST_F(JournalTest, ANewJournalIsEmptyAndCreated) {
  Journal j = Journal::open(path_);
  EXPECT_TRUE(j.is_open());
  EXPECT_EQ(j.records(), 0u);
  EXPECT_TRUE(fs::exists(path_));
}

TEST_F(JournalTest, RecordsSurviveAReopen) {
  {
    Journal j = Journal::open(path_);
    append(j, 0, 3);
    EXPECT_EQ(j.records(), 3u);
    EXPECT_EQ(result_of(j, 1), "r1");  // visible at once, not only after a reopen
  }
  Journal j = Journal::open(path_);
  EXPECT_EQ(j.records(), 3u);
  EXPECT_EQ(result_of(j, 2), "r2");
  EXPECT_EQ(j.find(0, 2)->task_hash, 1002u);
  EXPECT_EQ(j.find(0, 3), nullptr);
  EXPECT_EQ(j.find(1, 0), nullptr);
  EXPECT_EQ(j.dropped_bytes(), 0u);
}

TEST_F(JournalTest, ATornLastRecordIsIgnoredAndCutOff) {
  {
    Journal j = Journal::open(path_);
    append(j, 0, 5);
  }
  auto whole = fs::file_size(path_);
  fs::resize_file(path_, whole - 3);  // the writer died in the middle of the last record
  {
    Journal j = Journal::open(path_);
    EXPECT_EQ(j.records(), 4u);
    EXPECT_EQ(result_of(j, 4), "(none)");
    EXPECT_GT(j.dropped_bytes(), 0u);
    append(j, 4, 6);  // appended after the last whole record, not after the torn bytes
  }
  Journal j = Journal::open(path_);
  EXPECT_EQ(j.records(), 6u);
  EXPECT_EQ(result_of(j, 4), "r4");
  EXPECT_EQ(result_of(j, 5), "r5");
  EXPECT_EQ(j.dropped_bytes(), 0u);
}

TEST_F(JournalTest, ACorruptedRecordEndsTheGoodPrefix) {
  {
    Journal j = Journal::open(path_);
    append(j, 0, 3);
  }
  {
    std::fstream f(path_, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(static_cast<std::streamoff>(fs::file_size(path_) - 2));
    f.put('X');  // a flipped byte in the last record's result
  }
  Journal j = Journal::read(path_);
  EXPECT_EQ(j.records(), 2u);
  EXPECT_FALSE(j.is_open());
}

TEST_F(JournalTest, ReadDoesNotChangeTheFile) {
  {
    Journal j = Journal::open(path_);
    append(j, 0, 2);
  }
  fs::resize_file(path_, fs::file_size(path_) - 1);
  auto size = fs::file_size(path_);
  Journal j = Journal::read(path_);
  EXPECT_EQ(j.records(), 1u);
  EXPECT_EQ(fs::file_size(path_), size);
}

TEST_F(JournalTest, AnUnopenableJournalNamesTheFile) {
  try {
    Journal::open((dir_ / "missing" / "run.journal").string());
    FAIL() << "expected an error";
  } catch (const std::system_error& e) {
    EXPECT_EQ(std::string(e.what()),
              "taskfarm journal: open " + (dir_ / "missing" / "run.journal").string() +
                  ": No such file or directory");
  }
}

}  // namespace
}  // namespace beowulf
