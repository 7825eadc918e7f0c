#include "beowulf/taskfarm/journal.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
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

  static Journal open(const std::string& path) { return Journal::open(path, kIdentity); }

  /// Appends records for tasks [from, to) of call 0, task hash 1000 + index (plus
  /// `hash_offset`), result "r<index>" (with `suffix`).
  static void append(Journal& j, std::uint64_t from, std::uint64_t to, std::uint64_t hash_offset = 0,
                     const std::string& suffix = "") {
    std::vector<char> batch;
    for (auto i = from; i < to; ++i) {
      auto result = to_bytes("r" + std::to_string(i) + suffix);
      Journal::encode(batch, 0, i, 1000 + i + hash_offset, 0, result.data(), result.size());
    }
    j.write(batch);
  }

  static std::string result_of(const Journal& j, std::uint64_t i, std::uint64_t hash_offset = 0) {
    const Journal::Record* rec = j.find(0, i, 1000 + i + hash_offset);
    if (!rec) return "(none)";
    auto bytes = j.result(*rec);
    return from_bytes<std::string>(bytes.data(), bytes.size());
  }

  static std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  }

  static std::string error_of(const std::function<void()>& f) {
    try {
      f();
    } catch (const std::exception& e) {
      return e.what();
    }
    return "(no error)";
  }

  static inline const JournalIdentity kIdentity{.layout = 77, .key = "v1"};

  fs::path dir_;
  std::string path_;
};

TEST_F(JournalTest, ANewJournalIsEmptyAndCreated) {
  Journal j = open(path_);
  EXPECT_TRUE(j.is_open());
  EXPECT_EQ(j.records(), 0u);
  EXPECT_TRUE(fs::exists(path_));
}

TEST_F(JournalTest, RecordsSurviveAReopen) {
  {
    Journal j = open(path_);
    append(j, 0, 3);
    EXPECT_EQ(j.records(), 3u);
    EXPECT_EQ(result_of(j, 1), "r1");  // visible at once, not only after a reopen
  }
  Journal j = open(path_);
  EXPECT_EQ(j.records(), 3u);
  EXPECT_EQ(result_of(j, 2), "r2");
  EXPECT_EQ(j.find(0, 2, 999), nullptr) << "another task at the same index";
  EXPECT_EQ(j.find(0, 3, 1003), nullptr);
  EXPECT_EQ(j.find(1, 0, 1000), nullptr);
  EXPECT_EQ(j.identity().key, "v1");
  EXPECT_EQ(j.dropped_bytes(), 0u);
}

TEST_F(JournalTest, ATornLastRecordIsIgnoredAndCutOff) {
  {
    Journal j = open(path_);
    append(j, 0, 5);
  }
  auto whole = fs::file_size(path_);
  fs::resize_file(path_, whole - 3);  // the writer died in the middle of the last record
  {
    Journal j = open(path_);
    EXPECT_EQ(j.records(), 4u);
    EXPECT_EQ(result_of(j, 4), "(none)");
    EXPECT_GT(j.dropped_bytes(), 0u);
    append(j, 4, 6);  // appended after the last whole record, not after the torn bytes
  }
  Journal j = open(path_);
  EXPECT_EQ(j.records(), 6u);
  EXPECT_EQ(result_of(j, 4), "r4");
  EXPECT_EQ(result_of(j, 5), "r5");
  EXPECT_EQ(j.dropped_bytes(), 0u);
}

TEST_F(JournalTest, ACorruptedLastRecordIsATornTail) {
  {
    Journal j = open(path_);
    append(j, 0, 3);
  }
  {
    std::fstream f(path_, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(static_cast<std::streamoff>(fs::file_size(path_) - 2));
    f.put('X');  // a flipped byte in the last record's result
  }
  Journal j = Journal::read(path_);
  EXPECT_EQ(j.records(), 2u);
  EXPECT_EQ(j.corrupt_records(), 0u);
  EXPECT_GT(j.dropped_bytes(), 0u);
  EXPECT_FALSE(j.is_open());
}

TEST_F(JournalTest, ReadDoesNotChangeTheFile) {
  {
    Journal j = open(path_);
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
    open((dir_ / "missing" / "run.journal").string());
    FAIL() << "expected an error";
  } catch (const std::system_error& e) {
    EXPECT_EQ(std::string(e.what()),
              "taskfarm journal: open " + (dir_ / "missing" / "run.journal").string() +
                  ": No such file or directory");
  }
}

// A bug fixed: naming a file that is not a journal truncated it to 0 bytes.
TEST_F(JournalTest, AFileThatIsNotAJournalIsRefusedAndLeftAsItIs) {
  std::string csv = (dir_ / "results.csv").string();
  std::ofstream(csv) << "x,y\n1,2\n3,4\n";
  EXPECT_EQ(error_of([&] { open(csv); }),
            "taskfarm journal: " + csv + " is not a taskfarm journal (it does not start with one's header); "
            "it was left as it is: name another file");
  EXPECT_EQ(slurp(csv), "x,y\n1,2\n3,4\n");
  EXPECT_EQ(error_of([&] { Journal::read(csv); }).substr(0, 30), "taskfarm journal: " + csv.substr(0, 12));
}

// A bug fixed: a journal of other types (or another key) was replayed as this one's.
TEST_F(JournalTest, AJournalOfOtherTypesOrAnotherKeyIsRefused) {
  {
    Journal j = open(path_);
    append(j, 0, 3);
  }
  auto before = slurp(path_);
  EXPECT_EQ(error_of([&] { Journal::open(path_, {.layout = 78, .key = "v1"}); }),
            "taskfarm journal: " + path_ + " holds results of other task or result types: it was left as it is; "
            "name another file, or remove it to start again");
  EXPECT_EQ(error_of([&] { Journal::open(path_, {.layout = 77, .key = "v2"}); }),
            "taskfarm journal: " + path_ + " was written with key \"v1\", not \"v2\": it was left as it is; "
            "name another file, or remove it to start again");
  EXPECT_EQ(slurp(path_), before);
  EXPECT_EQ(open(path_).records(), 3u);
}

// A bug fixed: the first record of an index won even when its task had changed.
TEST_F(JournalTest, RecordsAreKeyedByTheTaskHashSoAChangedTaskListConverges) {
  {
    Journal j = open(path_);
    append(j, 0, 4);                // run A
    append(j, 0, 4, 500, " of B");  // run B: other tasks at the same indices
  }
  Journal j = open(path_);
  EXPECT_EQ(j.records(), 8u);
  EXPECT_EQ(result_of(j, 2), "r2");
  EXPECT_EQ(result_of(j, 2, 500), "r2 of B");
}

// A bug fixed: a corrupt record in the middle dropped (and cut off) every good one after it.
TEST_F(JournalTest, ACorruptRecordInTheMiddleIsSkippedAndCounted) {
  {
    Journal j = open(path_);
    append(j, 0, 2);
    append(j, 2, 3);
    append(j, 3, 6);
  }
  std::string data = slurp(path_);
  auto third = data.find("r2");  // in the third record's result
  ASSERT_NE(third, std::string::npos);
  data[third + 1] = 'X';
  std::ofstream(path_, std::ios::binary) << data;
  {
    Journal j = open(path_);
    EXPECT_EQ(j.records(), 5u);
    EXPECT_EQ(j.corrupt_records(), 1u);
    EXPECT_EQ(j.dropped_bytes(), 0u);
    EXPECT_EQ(result_of(j, 2), "(none)");
    EXPECT_EQ(result_of(j, 5), "r5");
    append(j, 2, 3);
  }
  EXPECT_EQ(fs::file_size(path_), data.size() + 16 + 21 + 8 + 2)
      << "nothing cut off; the re-run task appended";
  Journal j = open(path_);
  EXPECT_EQ(j.records(), 6u);
  EXPECT_EQ(result_of(j, 2), "r2");
}

// A bug fixed: nothing locked the file: a second run could cut the first one's tail.
TEST_F(JournalTest, ASecondRunOnAJournalInUseIsRefused) {
  Journal first = open(path_);
  append(first, 0, 2);
  EXPECT_EQ(error_of([&] { open(path_); }),
            "taskfarm journal: " + path_ + " is in use by another run (it holds the lock)");
  EXPECT_EQ(Journal::read(path_).records(), 2u) << "reading it is fine";
  first = Journal();
  EXPECT_EQ(open(path_).records(), 2u) << "free again once the first run closed it";
}

long resident_kib() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line))
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
  return -1;
}

// A bug fixed: every result was held in memory; the journal keeps offsets only.
TEST_F(JournalTest, ResultsStayOnDiskNotInMemory) {
  {
    Journal j = open(path_);
    std::string mib(1 << 20, 'x');
    for (std::uint64_t i = 0; i < 64; ++i) {
      std::vector<char> batch;
      auto result = to_bytes(mib + std::to_string(i));
      Journal::encode(batch, 0, i, 1000 + i, 0, result.data(), result.size());
      j.write(batch);
    }
  }
  long before = resident_kib();
  Journal j = open(path_);
  long grown = resident_kib() - before;
  EXPECT_EQ(j.records(), 64u);
  EXPECT_LT(grown, 16 * 1024) << "64 MiB of results read into memory";
  auto last = j.result(*j.find(0, 63, 1063));
  EXPECT_EQ(from_bytes<std::string>(last.data(), last.size()).substr((1 << 20) - 1), "x63");
}

}  // namespace
}  // namespace beowulf
