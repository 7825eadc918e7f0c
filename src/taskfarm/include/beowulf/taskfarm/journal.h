#pragma once
// Journal: the master's append-only record of finished tasks, so that a re-run with
// the same file skips what is done and returns its results.
//
// The file (version 2, every integer little-endian):
//   header  "BWJOURNL" | version u32 | layout fingerprint u64 | key length u32 | key |
//           FNV-1a of everything before it u64
//   record  magic u32 | payload length u32 | FNV-1a of payload u64 | payload
//   payload call u32 | task index u64 | task hash u64 | status u8 | result
// A record belongs to (call, index, task hash): a task list that changed finds the
// results of the tasks that are still the same and runs the others.
//
// Opening never destroys what it did not write: a file that does not start with a
// journal header, or whose header names other task/result types (layout.h) or another
// key, is refused and left as it was. The file is locked (flock) while open: a second run
// on it is refused while the first lives. A record that fails its checksum in the middle
// is skipped and counted (corrupt_records()); the records after it are kept. Bytes after
// the last good record are a write torn by a crash: they are cut off before appending.
// Only an index (offsets) is kept in memory; results are read from the file when asked.
//
// What survives: records are appended with one write(2) per batch, so the death of any
// process (kill -9 included) loses nothing the farm had delivered. A power cut (an SD card
// pulled) loses what the kernel had not yet written back (by default up to about 30 s):
// with JournalSync{.records = N} at most the last N-1 records, with {.seconds = T} at
// most the last T seconds of records, are lost (fdatasync after that many); the tasks
// lost are run again on the next run. A torn or garbled tail is detected by the checksums.

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>
#include <unordered_map>
#include <utility>
#include <vector>

#include "beowulf/taskfarm/serialize.h"

namespace beowulf {

/// What a journal is for: the layout fingerprint of the farm's types and a user's key
/// (for example the version of the task function: change it when the function changes).
struct JournalIdentity {
  std::uint64_t layout = 0;
  std::string key;
};

/// When to fdatasync(2) the journal: after `records` records, or `seconds` after the
/// first record not yet synced (checked when a batch is written); 0: never.
struct JournalSync {
  std::size_t records = 0;
  double seconds = 0;
};

/// A journal that cannot be used: not a journal, another farm's, in use, unreadable.
struct JournalError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class Journal {
 public:
  static constexpr char kFileMagic[8] = {'B', 'W', 'J', 'O', 'U', 'R', 'N', 'L'};
  static constexpr std::uint32_t kVersion = 2;
  static constexpr std::uint32_t kMagic = 0x52574a42;  // "BJWR": a record starts here
  static constexpr std::size_t kHeader = 16;           // a record's header
  static constexpr std::size_t kMaxKey = 4096;

  /// Where one record's result is in the file.
  struct Record {
    std::uint8_t status = 0;    ///< 0: a result, 1: the task threw (result holds its message)
    std::uint64_t offset = 0;   ///< of the result bytes
    std::uint32_t size = 0;     ///< of the result bytes
  };

  Journal() = default;
  Journal(Journal&& other) noexcept { *this = std::move(other); }
  Journal& operator=(Journal&& other) noexcept {
    std::swap(fd_, other.fd_);
    std::swap(writable_, other.writable_);
    std::swap(index_, other.index_);
    std::swap(identity_, other.identity_);
    std::swap(end_, other.end_);
    std::swap(records_, other.records_);
    std::swap(corrupt_, other.corrupt_);
    std::swap(dropped_bytes_, other.dropped_bytes_);
    std::swap(sync_, other.sync_);
    std::swap(unsynced_, other.unsynced_);
    std::swap(first_unsynced_, other.first_unsynced_);
    std::swap(path_, other.path_);
    return *this;
  }
  ~Journal() {
    if (fd_ < 0) return;
    if (writable_ && unsynced_ > 0) ::fdatasync(fd_);  // what JournalSync promised, at the end too
    ::close(fd_);
  }

  /// Opens `path` for appending, creating it (with `identity` in its header) when missing
  /// or empty, and indexes its records; cuts off a torn tail. Throws JournalError when
  /// the file is not a journal, is for another identity or is locked by another run, and
  /// std::system_error naming the file when it cannot be opened, read or written.
  static Journal open(const std::string& path, const JournalIdentity& identity, JournalSync sync = {}) {
    Journal j;
    j.path_ = path;
    j.sync_ = sync;
    j.fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (j.fd_ < 0) j.fail("open");
    if (::flock(j.fd_, LOCK_EX | LOCK_NB) != 0) {
      if (errno == EWOULDBLOCK)
        throw JournalError("taskfarm journal: " + path + " is in use by another run (it holds the lock)");
      j.fail("lock");
    }
    j.writable_ = true;
    if (j.file_size() == 0) {
      j.write_header(identity);
    } else {
      j.read_header();
      j.check_identity(identity);
    }
    j.scan();
    if (j.dropped_bytes_ > 0 && ::ftruncate(j.fd_, static_cast<off_t>(j.end_)) != 0)
      j.fail("cut the torn record off");
    return j;
  }

  /// Indexes the records of `path` without locking or changing it (safe while a farm
  /// appends to it); a missing file reads as empty. Not is_open(). Throws JournalError
  /// when the file is not a journal.
  static Journal read(const std::string& path) {
    Journal j;
    j.path_ = path;
    j.fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (j.fd_ < 0) {
      if (errno == ENOENT) return j;
      j.fail("open");
    }
    if (j.file_size() == 0) return j;
    j.read_header();
    j.scan();
    return j;
  }

  /// Open for appending (by open(), not read()).
  bool is_open() const { return writable_; }
  const std::string& path() const { return path_; }
  const JournalIdentity& identity() const { return identity_; }
  /// Distinct records (call, index, task hash) read or appended.
  std::size_t records() const { return records_; }
  /// Records in the middle of the file that failed their checksum and were skipped.
  std::size_t corrupt_records() const { return corrupt_; }
  /// Bytes of a torn last record after the whole ones (0 when the file ended cleanly).
  std::size_t dropped_bytes() const { return dropped_bytes_; }

  /// The record of task `index`, whose fingerprint is `task_hash`, of the `call`-th farm
  /// call; null when there is none.
  const Record* find(std::uint32_t call, std::uint64_t index, std::uint64_t task_hash) const {
    auto it = index_.find(Key{call, index, task_hash});
    return it == index_.end() ? nullptr : &it->second;
  }

  /// The result bytes of `record`, read from the file. Throws std::system_error when the
  /// file cannot be read.
  std::vector<char> result(const Record& record) const {
    std::vector<char> out(record.size);
    read_at(record.offset, out.data(), out.size());
    return out;
  }

  /// Appends one record to `batch` (not yet written: see write()).
  static void encode(std::vector<char>& batch, std::uint32_t call, std::uint64_t index,
                     std::uint64_t task_hash, std::uint8_t status, const char* result,
                     std::size_t result_size) {
    std::size_t start = batch.size();
    Writer w(batch);
    w << kMagic << std::uint32_t{0} << std::uint64_t{0} << call << index << task_hash << status;
    w.bytes(result, result_size);
    std::size_t payload_size = batch.size() - start - kHeader;
    std::vector<char> fields;
    Writer f(fields);
    f << static_cast<std::uint32_t>(payload_size) << fnv1a(batch.data() + start + kHeader, payload_size);
    std::memcpy(batch.data() + start + 4, fields.data(), fields.size());
  }

  /// Writes encoded records with one write(2), indexes them and syncs them when the
  /// JournalSync asks. Throws std::system_error when the disk refuses them.
  void write(const std::vector<char>& batch) {
    write_all(batch, "append to");
    std::size_t before = records_;
    for (std::size_t at = 0; at < batch.size();) at += index_record(batch.data() + at, end_ + at);
    end_ += batch.size();
    maybe_sync(records_ - before);
  }

  /// fdatasync(2) now. Throws std::system_error when it fails.
  void sync() {
    if (::fdatasync(fd_) != 0) fail("sync");
    unsynced_ = 0;
  }

 private:
  struct Key {
    std::uint32_t call;
    std::uint64_t index, task_hash;
    bool operator==(const Key&) const = default;
  };
  struct KeyHash {
    std::size_t operator()(const Key& k) const {
      return static_cast<std::size_t>(k.task_hash ^ (k.index * 0x9e3779b97f4a7c15ull) ^ k.call);
    }
  };
  using Clock = std::chrono::steady_clock;

  std::uint64_t file_size() const {
    struct stat st {};
    if (::fstat(fd_, &st) != 0) fail("stat");
    return static_cast<std::uint64_t>(st.st_size);
  }

  void read_at(std::uint64_t offset, char* into, std::size_t size) const {
    std::size_t done = 0;
    while (done < size) {
      ssize_t n = ::pread(fd_, into + done, size - done, static_cast<off_t>(offset + done));
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) fail("read");
      if (n == 0) throw JournalError("taskfarm journal: " + path_ + " ended while being read");
      done += static_cast<std::size_t>(n);
    }
  }

  void write_all(const std::vector<char>& bytes, const char* step) {
    std::size_t done = 0;
    while (done < bytes.size()) {
      ssize_t n = ::write(fd_, bytes.data() + done, bytes.size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) fail(step);
      done += static_cast<std::size_t>(n);
    }
  }

  void write_header(const JournalIdentity& identity) {
    if (identity.key.size() > kMaxKey) throw JournalError("taskfarm journal: the key is over 4096 bytes");
    std::vector<char> h(kFileMagic, kFileMagic + 8);
    Writer w(h);
    w << kVersion << identity.layout << static_cast<std::uint32_t>(identity.key.size());
    w.bytes(identity.key.data(), identity.key.size());
    w << fnv1a(h.data(), h.size());
    write_all(h, "write the header of");
    identity_ = identity;
    end_ = h.size();
  }

  [[noreturn]] void not_a_journal() const {
    throw JournalError("taskfarm journal: " + path_ +
                       " is not a taskfarm journal (it does not start with one's header); "
                       "it was left as it is: name another file");
  }

  void read_header() {
    std::uint64_t size = file_size();
    char fixed[24];
    if (size < sizeof fixed) not_a_journal();
    read_at(0, fixed, sizeof fixed);
    if (std::memcmp(fixed, kFileMagic, 8) != 0) not_a_journal();
    Reader r(fixed + 8, sizeof fixed - 8);
    auto version = r.get<std::uint32_t>();
    if (version != kVersion)
      throw JournalError("taskfarm journal: " + path_ + " is a journal of version " + std::to_string(version) +
                         "; this program reads version " + std::to_string(kVersion));
    identity_.layout = r.get<std::uint64_t>();
    auto key_size = r.get<std::uint32_t>();
    if (key_size > kMaxKey || size < sizeof fixed + key_size + 8) not_a_journal();
    std::vector<char> h(sizeof fixed + key_size + 8);
    read_at(0, h.data(), h.size());
    identity_.key.assign(h.data() + sizeof fixed, key_size);
    if (from_bytes<std::uint64_t>(h.data() + h.size() - 8, 8) != fnv1a(h.data(), h.size() - 8)) not_a_journal();
    end_ = h.size();
  }

  void check_identity(const JournalIdentity& wanted) const {
    if (identity_.layout != wanted.layout)
      throw JournalError("taskfarm journal: " + path_ +
                         " holds results of other task or result types: it was left as it is; "
                         "name another file, or remove it to start again");
    if (identity_.key != wanted.key)
      throw JournalError("taskfarm journal: " + path_ + " was written with key \"" + identity_.key +
                         "\", not \"" + wanted.key + "\": it was left as it is; name another file, "
                         "or remove it to start again");
  }

  /// Indexes every good record after the header. A bad record followed by good ones is
  /// counted as corrupt and skipped; bad bytes with no good record after them are a
  /// torn tail (dropped_bytes_), and end_ is where the good ones end.
  void scan() {
    std::uint64_t size = file_size(), at = end_;
    std::vector<char> record;
    while (at < size) {
      std::size_t length = good_record_at(at, size, record);
      if (length > 0) {
        index_record(record.data(), at);
        at += length;
        end_ = at;
        continue;
      }
      std::uint64_t next = next_good_record(at + 1, size, record);
      if (next == size) break;
      ++corrupt_;
      at = next;
    }
    dropped_bytes_ = static_cast<std::size_t>(size - end_);
  }

  /// The length of the whole, checksummed record at `at` (read into `record`), or 0.
  std::size_t good_record_at(std::uint64_t at, std::uint64_t size, std::vector<char>& record) const {
    if (size - at < kHeader) return 0;
    char h[kHeader];
    read_at(at, h, kHeader);
    Reader r(h, kHeader);
    auto magic = r.get<std::uint32_t>();
    auto payload = r.get<std::uint32_t>();
    auto sum = r.get<std::uint64_t>();
    if (magic != kMagic || payload < 21 || payload > size - at - kHeader) return 0;
    record.resize(kHeader + payload);
    std::memcpy(record.data(), h, kHeader);
    read_at(at + kHeader, record.data() + kHeader, payload);
    if (fnv1a(record.data() + kHeader, payload) != sum) return 0;
    return kHeader + payload;
  }

  /// The offset of the next good record at or after `from`, or `size` when none.
  std::uint64_t next_good_record(std::uint64_t from, std::uint64_t size, std::vector<char>& record) const {
    const char magic[4] = {0x42, 0x4a, 0x57, 0x52};
    std::vector<char> chunk(1 << 16);
    for (std::uint64_t base = from; base < size;) {
      std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(chunk.size(), size - base));
      read_at(base, chunk.data(), n);
      for (std::size_t i = 0; i + 4 <= n; ++i) {
        if (std::memcmp(chunk.data() + i, magic, 4) == 0 && good_record_at(base + i, size, record) > 0)
          return base + i;
      }
      if (n < 4) break;
      base += n - 3;  // a magic may straddle two chunks
    }
    return size;
  }

  /// Adds the record at `data` (written at file offset `offset`) to the index; returns
  /// its length.
  std::size_t index_record(const char* data, std::uint64_t offset) {
    Reader h(data, kHeader);
    h.get<std::uint32_t>();
    auto payload = h.get<std::uint32_t>();
    Reader r(data + kHeader, payload);
    Key key{r.get<std::uint32_t>(), r.get<std::uint64_t>(), r.get<std::uint64_t>()};
    Record rec{r.get<std::uint8_t>(), offset + kHeader + 21, payload - 21};
    if (index_.try_emplace(key, rec).second) ++records_;
    return kHeader + payload;
  }

  void maybe_sync(std::size_t added) {
    if (added == 0 || (sync_.records == 0 && sync_.seconds <= 0)) return;
    if (unsynced_ == 0) first_unsynced_ = Clock::now();
    unsynced_ += added;
    bool by_count = sync_.records > 0 && unsynced_ >= sync_.records;
    bool by_time = sync_.seconds > 0 &&
                   std::chrono::duration<double>(Clock::now() - first_unsynced_).count() >= sync_.seconds;
    if (by_count || by_time) sync();
  }

  [[noreturn]] void fail(const char* step) const {
    throw std::system_error(errno, std::generic_category(),
                            "taskfarm journal: " + std::string(step) + " " + path_);
  }

  int fd_ = -1;
  bool writable_ = false;
  std::unordered_map<Key, Record, KeyHash> index_;
  JournalIdentity identity_;
  std::uint64_t end_ = 0;  ///< where the next record goes: after the last good one
  std::size_t records_ = 0, corrupt_ = 0, dropped_bytes_ = 0;
  JournalSync sync_;
  std::size_t unsynced_ = 0;
  Clock::time_point first_unsynced_;
  std::string path_;
};

}  // namespace beowulf
