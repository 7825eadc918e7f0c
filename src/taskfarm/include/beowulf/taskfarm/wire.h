#pragma once
// The farm's messages, on the farm's own communicator (every integer little-endian,
// serialize.h):
//   master -> worker  kTasks    batch id u64 | count u32 | count x task
//   worker -> master  kResults  batch id u64 | compute seconds f64 | first u32 | count u32 |
//                               threads left u32 | form u8 | the results, in one of two forms:
//                                 kEach   count x (status u8 | its body)
//                                 kPlain  count x result, as in memory: every task returned
//                                         (only for results that are their own bytes on
//                                         the wire, so that an empty task costs a copy)
//   master -> worker  kStop     empty: finish, answer kStopped, return
//   worker -> master  kStopped  empty: nothing more will come from this worker
//   master -> worker  kYield    empty: leave the serving loop, the program makes another farm
// A kResults message holds the results of tasks [first, first + count) of its batch; a
// batch whose results would pass the message limit comes back in several. Status:
// kOk (the result), kThrew and kTimedOut (a message), kNotRun (no body: hand it out again).
// One message per batch, received at the size it has (MPI_Mprobe): never a size message
// followed by a data message. Sizes are checked against INT_MAX before they reach MPI.

#include <mpi.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <climits>
#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "beowulf/taskfarm/serialize.h"

namespace beowulf::detail {

enum Tag : int { kTasks = 1, kResults = 2, kStop = 3, kStopped = 4, kYield = 5, kLayout = 6 };

inline constexpr std::uint8_t kOk = 0, kThrew = 1, kTimedOut = 2, kNotRun = 3;
inline constexpr std::uint8_t kEach = 0, kPlain = 1;  ///< the forms of a kResults message
inline constexpr std::size_t kResultsHeader = 8 + 8 + 4 + 4 + 4 + 1;
inline constexpr std::size_t kMaxMessage = INT_MAX;  ///< what an MPI count of bytes can say

/// Starts a kResults message in `out` (cleared): its header, to be completed by end_results.
inline void begin_results(std::vector<char>& out, std::uint64_t id, std::uint32_t first,
                          std::uint32_t threads_left, std::uint8_t form = kEach) {
  out.clear();
  Writer w(out);
  w << id << 0.0 << first << std::uint32_t{0} << threads_left << form;
}

/// Changes the form of a kResults message that holds no result yet.
inline void set_form(std::vector<char>& out, std::uint8_t form) { out[kResultsHeader - 1] = static_cast<char>(form); }

/// Fills in the count and compute seconds of a kResults message.
inline void end_results(std::vector<char>& out, std::uint32_t count, double seconds) {
  std::vector<char> fields;
  Writer w(fields);
  w << seconds;
  std::memcpy(out.data() + 8, fields.data(), 8);
  fields.clear();
  w << count;
  std::memcpy(out.data() + 20, fields.data(), 4);
}

inline void set_threads_left(std::vector<char>& out, std::uint32_t threads) {
  std::vector<char> fields;
  Writer(fields) << threads;
  std::memcpy(out.data() + 24, fields.data(), 4);
}

/// Rung by a task thread when it finished a batch, so that the rank's main thread, idle
/// between polls of MPI, wakes at once to send the results instead of at its next poll.
class Doorbell {
 public:
  void ring() {
    {
      std::lock_guard lock(mutex_);
      rung_ = true;
    }
    bell_.notify_one();
  }
  /// Waits until rung (since the last wait) or `wait` passed.
  void wait(std::chrono::microseconds wait) {
    std::unique_lock lock(mutex_);
    bell_.wait_for(lock, wait, [&] { return rung_; });
    rung_ = false;
  }

 private:
  std::mutex mutex_;
  std::condition_variable bell_;
  bool rung_ = false;
};

inline Doorbell& doorbell() {
  static Doorbell bell;
  return bell;
}

/// Polls MPI in a loop for a few microseconds, then sleeps between polls (or until a task
/// thread rings): an eighth of `longest` first, twice as long each time up to it. So an
/// idle rank leaves the core to the threads and ranks that compute. The spin is timed, not
/// counted: a poll of shared memory takes a tenth of a microsecond, one of TCP (Open MPI
/// polls every socket) 5 to 10. Never waits while `busy` (a large message moves only while
/// both sides call into MPI).
class Backoff {
 public:
  explicit Backoff(std::chrono::microseconds longest = std::chrono::microseconds(50)) : longest_(longest) {}

  void pause(bool busy) {
    using namespace std::chrono_literals;
    if (busy) {
      spinning_since_.reset();
      wait_ = 0us;
      return;
    }
    if (wait_ == 0us) {
      auto now = std::chrono::steady_clock::now();
      if (!spinning_since_) spinning_since_ = now;
      if (now - *spinning_since_ < kSpinFor) return;
      wait_ = std::max(5us, longest_ / 8);
    }
    doorbell().wait(wait_);
    wait_ = std::min(wait_ * 2, longest_);
  }

 private:
  static constexpr auto kSpinFor = std::chrono::microseconds(25);
  std::chrono::microseconds longest_, wait_{0};
  std::optional<std::chrono::steady_clock::time_point> spinning_since_;
};

/// Receives the probed message into `into`, resized to its length.
inline void receive(MPI_Message& msg, MPI_Status& status, std::vector<char>& into) {
  int size = 0;
  MPI_Get_count(&status, MPI_BYTE, &size);
  into.resize(static_cast<std::size_t>(size));
  MPI_Mrecv(into.data(), size, MPI_BYTE, &msg, &status);
}

/// MPI_Isend of `bytes`; throws std::length_error rather than let the size overflow int.
inline void send_bytes(const std::vector<char>& bytes, int to, int tag, MPI_Comm comm, MPI_Request* request) {
  if (bytes.size() > kMaxMessage)
    throw std::length_error("beowulf::TaskFarm: a message of " + std::to_string(bytes.size()) +
                            " bytes is over the " + std::to_string(kMaxMessage) + " MPI can send");
  MPI_Isend(bytes.data(), static_cast<int>(bytes.size()), MPI_BYTE, to, tag, comm, request);
}

}  // namespace beowulf::detail
