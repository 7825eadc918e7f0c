#pragma once
// Batches: the master's batches that are out on the workers, from the moment a batch's
// message is made until its last result is back, with what each worker holds. A batch's
// message is sent with MPI_Isend, so its buffer lives here until the send is done; the
// buffers of finished batches carry the next ones (their pages are already mapped).

#include <mpi.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <unordered_map>
#include <utility>
#include <vector>

namespace beowulf::detail {

/// A batch handed out: positions [begin, end) of its call's to-do list.
struct Batch {
  using Clock = std::chrono::steady_clock;
  int worker = 0;
  std::uint32_t call = 0;
  std::size_t begin = 0, end = 0;
  std::size_t received = 0;  ///< results back so far (large ones come in several messages)
  Clock::time_point sent;
  bool copied = false;  ///< a straggler copy exists (or this is one)
  std::vector<char> message;
  MPI_Request request = MPI_REQUEST_NULL;
};

class Batches {
 public:
  /// Counts batches per worker rank, for `ranks` ranks.
  explicit Batches(std::size_t ranks = 0) : held_(ranks, 0) {}

  /// An empty message buffer for a new batch.
  std::vector<char> spare_message() {
    if (spare_.empty()) return {};
    std::vector<char> message = std::move(spare_.back());
    spare_.pop_back();
    message.clear();
    return message;
  }

  /// Records batch `id`, whose message is to be sent; the batch as stored.
  Batch& add(std::uint64_t id, Batch batch) {
    ++held_[static_cast<std::size_t>(batch.worker)];
    return out_.insert_or_assign(id, std::move(batch)).first->second;
  }

  /// Batch `id`'s message went out with MPI_Isend (its `request`).
  void sending(std::uint64_t id) { sending_.push_back(id); }

  /// Batch `id`, or null when it is not out (finished, or never sent).
  Batch* find(std::uint64_t id) {
    auto it = out_.find(id);
    return it == out_.end() ? nullptr : &it->second;
  }

  /// Batch `id` is answered in full: once its message has arrived, its buffer is kept.
  void finish(std::uint64_t id) {
    auto it = out_.find(id);
    Batch& b = it->second;
    if (b.request != MPI_REQUEST_NULL) MPI_Wait(&b.request, MPI_STATUS_IGNORE);  // it arrived
    --held_[static_cast<std::size_t>(b.worker)];
    if (spare_.size() < kSpareMessages) spare_.push_back(std::move(b.message));
    out_.erase(it);
  }

  /// Batches worker rank `w` holds.
  std::size_t held_by(int w) const { return held_[static_cast<std::size_t>(w)]; }
  bool empty() const { return out_.empty(); }

  /// Whether a batch's message is still on its way to a worker.
  bool still_sending() {
    while (!sending_.empty()) {
      auto it = out_.find(sending_.back());
      int done = 1;
      if (it != out_.end() && it->second.request != MPI_REQUEST_NULL)
        MPI_Test(&it->second.request, &done, MPI_STATUS_IGNORE);
      if (!done) return true;
      sending_.pop_back();
    }
    return false;
  }

  /// The oldest batch of `call` without a copy that is late: out for at least
  /// `min_seconds` and `factor` times what its tasks should take at `mean` seconds each.
  Batch* oldest_late(std::uint32_t call, double mean, double min_seconds, double factor) {
    Batch* oldest = nullptr;
    auto now = Batch::Clock::now();
    for (auto& [id, b] : out_) {
      if (b.copied || b.call != call) continue;
      double age = std::chrono::duration<double>(now - b.sent).count();
      double expected = mean * static_cast<double>(b.end - b.begin);
      if (age < min_seconds || age < factor * expected) continue;
      if (!oldest || b.sent < oldest->sent) oldest = &b;
    }
    return oldest;
  }

  /// Forgets every batch, once every message has arrived (the workers have stopped).
  void clear() {
    for (auto& [id, b] : out_) {
      if (b.request != MPI_REQUEST_NULL) MPI_Wait(&b.request, MPI_STATUS_IGNORE);
    }
    out_.clear();
    sending_.clear();
    std::fill(held_.begin(), held_.end(), 0);
  }

 private:
  static constexpr std::size_t kSpareMessages = 8;
  std::unordered_map<std::uint64_t, Batch> out_;
  std::vector<std::size_t> held_;       ///< batches out, per worker rank
  std::vector<std::uint64_t> sending_;  ///< batches whose MPI_Isend may not be done
  std::vector<std::vector<char>> spare_;
};

}  // namespace beowulf::detail
