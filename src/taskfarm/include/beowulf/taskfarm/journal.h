#pragma once
// Journal: the master's append-only record of finished tasks, so that a re-run with
// the same file skips what is done and returns its results.
//
// A record is  magic u32 | payload length u32 | FNV-1a of payload u64 | payload,
// the payload  call u32 | task index u64 | task fingerprint u64 | status u8 | result.
// Records are appended with one write(2) per batch, so a process killed at any moment
// (kill -9 included) leaves whole records and at most one torn one at the end. Opening
// drops a torn tail (short or failing its checksum) and truncates the file there, so
// later records are appended to a clean end. Records survive the death of a process;
// not a power cut (no fsync per record: it would cost more than the tasks).

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <string_view>
#include <system_error>
#include <unordered_map>
#include <utility>
#include <vector>

#include "beowulf/taskfarm/serialize.h"

namespace beowulf {

class Journal {
 public:
  static constexpr std::uint32_t kMagic = 0x314a5742;  // "BWJ1" in little-endian bytes
  static constexpr std::size_t kHeader = 16;
  static constexpr std::uint32_t kMaxCalls = 1 << 20;  ///< farm calls one journal can record

  struct Record {
    std::uint64_t task_hash = 0;
    std::uint8_t status = 0;   ///< 0: a result, 1: the task threw (result holds its message)
    std::vector<char> result;  ///< the result (or message) as serialized
  };

  Journal() = default;
  Journal(Journal&& other) noexcept { *this = std::move(other); }
  Journal& operator=(Journal&& other) noexcept {
    std::swap(fd_, other.fd_);
    std::swap(calls_, other.calls_);
    std::swap(records_, other.records_);
    std::swap(dropped_bytes_, other.dropped_bytes_);
    std::swap(path_, other.path_);
    return *this;
  }
  ~Journal() {
    if (fd_ >= 0) ::close(fd_);
  }

  /// Opens `path`, creating it when missing, and reads every whole record in it; drops
  /// a torn tail. Throws std::system_error naming the file when it cannot be read,
  /// truncated or opened for appending.
  static Journal open(const std::string& path) {
    Journal j;
    std::size_t good = j.read_file(path);
    j.fd_ = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (j.fd_ < 0) j.fail("open");
    if (j.dropped_bytes_ > 0 && ::ftruncate(j.fd_, static_cast<off_t>(good)) != 0)
      j.fail("truncate the torn record of");
    return j;
  }

  /// Reads the whole records of `path` without opening it for writing or changing it
  /// (safe while a farm appends to it); a missing file reads as empty. Not is_open().
  static Journal read(const std::string& path) {
    Journal j;
    j.read_file(path);
    return j;
  }

  bool is_open() const { return fd_ >= 0; }
  const std::string& path() const { return path_; }
  /// Whole records read at open or appended since.
  std::size_t records() const { return records_; }
  /// Bytes of a torn last record after the whole ones (0 when the file ended cleanly).
  std::size_t dropped_bytes() const { return dropped_bytes_; }

  /// The record of task `index` of the `call`-th farm call, or null.
  const Record* find(std::uint32_t call, std::uint64_t index) const {
    if (call >= calls_.size()) return nullptr;
    auto it = calls_[call].find(index);
    return it == calls_[call].end() ? nullptr : &it->second;
  }

  /// Appends one record to `batch` (not yet written: see write()).
  static void encode(std::vector<char>& batch, std::uint32_t call, std::uint64_t index,
                     std::uint64_t task_hash, std::uint8_t status, const char* result,
                     std::size_t result_size) {
    std::size_t start = batch.size();
    batch.resize(start + kHeader);
    Writer w(batch);
    w << call << index << task_hash << status;
    w.bytes(result, result_size);
    auto payload_size = static_cast<std::uint32_t>(batch.size() - start - kHeader);
    std::uint64_t sum = fnv1a(batch.data() + start + kHeader, payload_size);
    std::memcpy(batch.data() + start, &kMagic, 4);
    std::memcpy(batch.data() + start + 4, &payload_size, 4);
    std::memcpy(batch.data() + start + 8, &sum, 8);
  }

  /// Writes encoded records with one write(2) and remembers them. Throws
  /// std::system_error when the disk refuses them.
  void write(const std::vector<char>& batch) {
    std::size_t done = 0;
    while (done < batch.size()) {
      ssize_t n = ::write(fd_, batch.data() + done, batch.size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) fail("append to");
      done += static_cast<std::size_t>(n);
    }
    load(std::string_view(batch.data(), batch.size()));
  }

 private:
  /// Loads `path`; returns the length of its good prefix and counts the bytes after it.
  std::size_t read_file(const std::string& path) {
    path_ = path;
    std::string data;
    std::ifstream in(path, std::ios::binary);
    if (in) data.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    std::size_t good = load(data);
    dropped_bytes_ = data.size() - good;
    return good;
  }

  /// Reads whole records from `data` into the index; returns the length of the good prefix.
  std::size_t load(std::string_view data) {
    std::size_t at = 0;
    while (data.size() - at >= kHeader) {
      std::uint32_t magic = 0, size = 0;
      std::uint64_t sum = 0;
      std::memcpy(&magic, data.data() + at, 4);
      std::memcpy(&size, data.data() + at + 4, 4);
      std::memcpy(&sum, data.data() + at + 8, 8);
      if (magic != kMagic || size > data.size() - at - kHeader) break;
      const char* payload = data.data() + at + kHeader;
      if (fnv1a(payload, size) != sum) break;
      if (!remember(payload, size)) break;
      at += kHeader + size;
    }
    return at;
  }

  bool remember(const char* payload, std::size_t size) {
    try {
      Reader r(payload, size);
      auto call = r.get<std::uint32_t>();
      auto index = r.get<std::uint64_t>();
      Record rec;
      rec.task_hash = r.get<std::uint64_t>();
      rec.status = r.get<std::uint8_t>();
      rec.result.assign(r.position(), r.position() + r.remaining());
      if (call > kMaxCalls) return false;
      if (call >= calls_.size()) calls_.resize(call + 1);
      calls_[call].try_emplace(index, std::move(rec));  // the first record of a task wins
      ++records_;
      return true;
    } catch (const DecodeError&) {
      return false;
    }
  }

  [[noreturn]] void fail(const char* step) const {
    throw std::system_error(errno, std::generic_category(),
                            "taskfarm journal: " + std::string(step) + " " + path_);
  }

  int fd_ = -1;
  std::vector<std::unordered_map<std::uint64_t, Record>> calls_;
  std::size_t records_ = 0;
  std::size_t dropped_bytes_ = 0;
  std::string path_;
};

}  // namespace beowulf
