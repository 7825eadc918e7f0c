#pragma once
// TaskFarm<Task, Result>: the master-worker pattern. Every rank constructs the farm with
// the same function; on a worker the constructor serves tasks until the master's farm is
// destroyed, on the master (rank 0) it returns at once and the master calls map() or
// for_each_result(). With one rank the master runs the tasks itself.
//
// The protocol (worker.h), on a communicator of its own (a dup of the session's): one
// message per batch of tasks, one per batch of results, kStop at the end. The
// master sends with MPI_Isend so that it never blocks on a worker that is itself blocked
// sending a large result. Each worker holds at most `in_flight` batches, so it always has
// the next one queued; batch sizes follow ChunkPolicy (guided, bounded by time).
//
// Stragglers: once every task has been handed out, a worker with nothing to do gets a copy
// of the oldest batch that has run `straggler_factor` times longer than expected (and at
// least `straggler_min_seconds`); the first result for a task wins, later ones are dropped.
// Shutdown: the master's destructor waits for every batch still out (copies included),
// then sends kStop to each worker. A farm destroyed by an exception on the master aborts
// the job (MPI_Abort): the workers must not wait for a master that is gone.

#include <mpi.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <exception>
#include <functional>
#include <numeric>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "beowulf/taskfarm/journal.h"
#include "beowulf/taskfarm/outcome.h"
#include "beowulf/taskfarm/progress.h"
#include "beowulf/taskfarm/schedule.h"
#include "beowulf/taskfarm/serialize.h"
#include "beowulf/taskfarm/session.h"
#include "beowulf/taskfarm/worker.h"

namespace beowulf {

struct FarmOptions {
  std::string journal;            ///< file of finished tasks to resume from; empty: none
  std::size_t in_flight = 3;      ///< batches a worker may hold at once
  double target_batch_seconds = 0.002;  ///< batch size aims at this much work
  std::size_t max_chunk = 1 << 15;      ///< tasks per batch at most
  double straggler_factor = 4;          ///< a batch this many times its expected time is late
  double straggler_min_seconds = 0.2;   ///< and at least this late
  std::function<void(const Progress&)> progress;  ///< called every 100 ms and at the end
  bool progress_line = true;  ///< the stderr line (see progress.h for when it shows)
};

/// What the master counted, over the farm's lifetime.
struct FarmStats {
  std::size_t tasks_run = 0;     ///< results accepted from a run of the task
  std::size_t from_journal = 0;  ///< results taken from the journal instead
  std::size_t batches = 0;       ///< batches handed out, copies included
  std::size_t reissued = 0;      ///< tasks handed out again as stragglers
  std::size_t duplicates = 0;    ///< results dropped because the task was already done
};

template <typename Task, typename Result>
class TaskFarm {
 public:
  using Function = std::function<Result(const Task&)>;

  /// Collective over the session's ranks. On a worker, serves tasks and returns when the
  /// master's farm is destroyed. On the master, opens the journal when one is named;
  /// throws std::system_error when it cannot (after releasing the workers).
  TaskFarm(mpi::Session& session, Function fn, FarmOptions options = {})
      : fn_(std::move(fn)), options_(std::move(options)),
        reporter_(options_.progress, options_.progress_line) {
    options_.in_flight = std::max<std::size_t>(1, options_.in_flight);
    MPI_Comm_dup(session.comm(), &comm_);
    MPI_Comm_rank(comm_, &rank_);
    MPI_Comm_size(comm_, &size_);
    if (rank_ != 0) {
      detail::serve(comm_, fn_);
      return;
    }
    in_flight_.assign(static_cast<std::size_t>(size_), 0);
    if (options_.journal.empty()) return;
    try {
      journal_ = Journal::open(options_.journal);
    } catch (...) {
      stop_workers();
      MPI_Comm_free(&comm_);
      throw;
    }
  }

  TaskFarm(const TaskFarm&) = delete;
  TaskFarm& operator=(const TaskFarm&) = delete;

  ~TaskFarm() {
    if (comm_ == MPI_COMM_NULL) return;
    if (rank_ == 0) {
      if (std::uncaught_exceptions() > exceptions_) MPI_Abort(comm_, 1);
      call_ = kNoCall;
      while (!outstanding_.empty()) wait_for_result();  // late copies of stragglers
      stop_workers();
    }
    MPI_Comm_free(&comm_);
  }

  bool is_master() const { return rank_ == 0; }
  /// Ranks that run tasks: size - 1, or 1 when the master runs them itself.
  int workers() const { return size_ > 1 ? size_ - 1 : 1; }
  const FarmStats& stats() const { return stats_; }
  /// The journal as opened (records, torn bytes dropped); not open without one.
  const Journal& journal() const { return journal_; }

  /// Master only (throws std::logic_error on a worker): runs fn on every task; the
  /// outcomes in the order of the tasks.
  std::vector<Outcome<Result>> map(std::span<const Task> tasks) {
    std::vector<Outcome<Result>> out(tasks.size(), Outcome<Result>(TaskError{}));  // all overwritten
    run(tasks, [&](std::size_t i, Outcome<Result>&& o) { out[i] = std::move(o); });
    return out;
  }

  /// Master only: runs fn on every task and calls `on_result(task, outcome)` for each as
  /// it completes (results found in the journal first). Each task's outcome comes once.
  template <typename Callback>
  void for_each_result(std::span<const Task> tasks, Callback&& on_result) {
    run(tasks, [&](std::size_t i, Outcome<Result>&& o) { on_result(tasks[i], std::move(o)); });
  }

 private:
  using Backoff = detail::Backoff;
  static constexpr int kTasks = detail::kTasks, kResults = detail::kResults, kStop = detail::kStop;
  static constexpr std::uint32_t kNoCall = UINT32_MAX;
  static constexpr std::size_t kMaxMessageBytes = std::size_t{1} << 26;
  using Clock = std::chrono::steady_clock;

  /// A batch handed out: positions [begin, end) of the call's to-do list.
  struct Batch {
    int worker = 0;
    std::uint32_t call = 0;
    std::size_t begin = 0, end = 0;
    Clock::time_point sent;
    bool copied = false;  ///< a straggler copy exists (or this is one)
    std::vector<char> message;
    MPI_Request request = MPI_REQUEST_NULL;
  };

  // ---- master ----

  template <typename Deliver>
  void run(std::span<const Task> tasks, Deliver&& deliver) {
    if (rank_ != 0) throw std::logic_error("beowulf::TaskFarm: only the master (rank 0) submits tasks");
    call_ = next_call_++;
    tasks_ = tasks;
    done_.assign(tasks.size(), 0);
    done_count_ = 0;
    todo_.clear();
    cursor_ = 0;
    fill_todo(deliver);
    reporter_.start(tasks.size(), done_count_);
    auto on_result = [&](std::size_t i, Outcome<Result>&& o) { deliver(i, std::move(o)); };
    while (done_count_ < tasks.size()) {
      if (size_ == 1) {
        run_locally(on_result);
      } else {
        deal();
        if (!poll_result(on_result)) idle(on_result);
      }
      reporter_.update(done_count_);
    }
    reporter_.update(done_count_, true);
    tasks_ = {};
  }

  /// The to-do list: every task not found in the journal (those are delivered now).
  template <typename Deliver>
  void fill_todo(Deliver& deliver) {
    hashes_.assign(journal_.is_open() ? tasks_.size() : 0, 0);
    std::vector<char> bytes;
    for (std::size_t i = 0; i < tasks_.size(); ++i) {
      if (journal_.is_open()) {
        bytes.clear();
        Writer(bytes).put(tasks_[i]);
        hashes_[i] = fnv1a(bytes.data(), bytes.size());
        if (auto o = from_journal(i)) {
          done_[i] = 1;
          ++done_count_;
          ++stats_.from_journal;
          deliver(i, std::move(*o));
          continue;
        }
      }
      todo_.push_back(i);
    }
  }

  /// Task i's outcome from the journal, when it holds one for this very task.
  std::optional<Outcome<Result>> from_journal(std::size_t i) {
    const Journal::Record* rec = journal_.find(call_, i);
    if (!rec || rec->task_hash != hashes_[i]) return std::nullopt;
    try {
      Reader r(rec->result.data(), rec->result.size());
      return decode(rec->status, r);
    } catch (const DecodeError&) {
      return std::nullopt;  // written by another program: run the task again
    }
  }

  static Outcome<Result> decode(std::uint8_t status, Reader& r) {
    if (status != 0) return TaskError{r.get<std::string>()};
    Result value{};
    r.get(value);
    return Outcome<Result>(std::move(value));
  }

  ChunkPolicy policy() const {
    return {.workers = static_cast<std::size_t>(workers()), .in_flight = options_.in_flight,
            .target_batch_seconds = options_.target_batch_seconds, .max_chunk = options_.max_chunk};
  }

  double mean_task_seconds() const {
    return measured_tasks_ ? measured_seconds_ / static_cast<double>(measured_tasks_) : -1.0;
  }

  /// Hands out new batches to every worker with a free slot.
  void deal() {
    for (bool sent = true; sent;) {
      sent = false;
      for (int w = 1; w < size_ && cursor_ < todo_.size(); ++w) {
        if (in_flight_[w] >= options_.in_flight) continue;
        std::size_t chunk = policy().next_chunk(todo_.size() - cursor_, mean_task_seconds());
        cursor_ = send_batch(w, cursor_, cursor_ + chunk);
        sent = true;
      }
    }
  }

  /// Builds the message for positions [begin, end) of the to-do list (fewer when it
  /// would grow past kMaxMessageBytes) and records the batch. Returns where it ended.
  std::size_t make_batch(int worker, std::size_t begin, std::size_t end, std::uint64_t& id) {
    id = next_batch_++;
    Batch b;
    b.worker = worker;
    b.call = call_;
    b.begin = begin;
    b.sent = Clock::now();
    if (!spare_.empty()) {
      b.message = std::move(spare_.back());
      spare_.pop_back();
    }
    b.message.clear();
    Writer w(b.message);
    w << id << std::uint32_t{0};
    std::size_t k = begin;
    for (; k < end && (k == begin || b.message.size() < kMaxMessageBytes); ++k) w.put(tasks_[todo_[k]]);
    b.end = k;
    auto count = static_cast<std::uint32_t>(k - begin);
    std::memcpy(b.message.data() + sizeof(std::uint64_t), &count, sizeof count);
    ++stats_.batches;
    outstanding_.emplace(id, std::move(b));
    return k;
  }

  std::size_t send_batch(int worker, std::size_t begin, std::size_t end) {
    std::uint64_t id = 0;
    std::size_t stop = make_batch(worker, begin, end, id);
    Batch& b = outstanding_.at(id);
    MPI_Isend(b.message.data(), static_cast<int>(b.message.size()), MPI_BYTE, worker, kTasks,
              comm_, &b.request);
    sending_.push_back(id);
    ++in_flight_[worker];
    return stop;
  }

  /// One rank: the master runs the next batch itself, through the same message path.
  template <typename OnResult>
  void run_locally(OnResult& on_result) {
    std::size_t chunk = policy().next_chunk(todo_.size() - cursor_, mean_task_seconds());
    std::uint64_t id = 0;
    cursor_ = make_batch(0, cursor_, cursor_ + chunk, id);
    detail::run_batch(fn_, outstanding_.at(id).message, local_results_);
    handle_results(local_results_, on_result);
  }

  /// Receives and handles one result message when one is there; false when none is.
  template <typename OnResult>
  bool poll_result(OnResult& on_result) {
    int flag = 0;
    MPI_Message msg;
    MPI_Status status;
    MPI_Improbe(MPI_ANY_SOURCE, kResults, comm_, &flag, &msg, &status);
    if (!flag) return false;
    detail::receive(msg, status, results_in_);
    handle_results(results_in_, on_result);
    return true;
  }

  /// Nothing arrived: back off a little (not while a batch is still being sent: it moves
  /// only while the master calls into MPI), and give copies of stragglers to idle workers.
  template <typename OnResult>
  void idle(OnResult& on_result) {
    Backoff backoff;
    for (int spins = 0; spins < 2000; ++spins) {
      backoff.pause(sending());
      if (poll_result(on_result)) return;
      if ((spins & 15) == 0) reissue_stragglers();
    }
  }

  /// Whether a batch message is still on its way to a worker.
  bool sending() {
    while (!sending_.empty()) {
      auto it = outstanding_.find(sending_.back());
      int done = 1;
      if (it != outstanding_.end() && it->second.request != MPI_REQUEST_NULL)
        MPI_Test(&it->second.request, &done, MPI_STATUS_IGNORE);
      if (!done) return true;
      sending_.pop_back();
    }
    return false;
  }

  void wait_for_result() {
    auto ignore = [](std::size_t, Outcome<Result>&&) {};
    for (Backoff backoff; !poll_result(ignore);) backoff.pause(sending());
  }

  void reissue_stragglers() {
    if (cursor_ < todo_.size() || call_ == kNoCall) return;
    for (int w = 1; w < size_; ++w) {
      if (in_flight_[w] != 0) continue;
      Batch* late = oldest_straggler();
      if (!late) return;
      late->copied = true;
      std::size_t begin = late->begin, end = late->end;
      for (std::size_t k = begin; k < end; ++k) stats_.reissued += done_[todo_[k]] ? 0 : 1;
      std::uint64_t id = next_batch_;
      send_batch(w, begin, end);
      outstanding_.at(id).copied = true;
    }
  }

  Batch* oldest_straggler() {
    Batch* oldest = nullptr;
    auto now = Clock::now();
    double mean = std::max(0.0, mean_task_seconds());
    for (auto& [id, b] : outstanding_) {
      if (b.copied || b.call != call_) continue;
      double age = std::chrono::duration<double>(now - b.sent).count();
      double expected = mean * static_cast<double>(b.end - b.begin);
      if (age < options_.straggler_min_seconds || age < options_.straggler_factor * expected) continue;
      if (!oldest || b.sent < oldest->sent) oldest = &b;
    }
    return oldest;
  }

  /// Takes the results of one batch: journals the new ones, then delivers them.
  template <typename OnResult>
  void handle_results(const std::vector<char>& message, OnResult& on_result) {
    Reader r(message.data(), message.size());
    auto id = r.get<std::uint64_t>();
    auto seconds = r.get<double>();
    auto count = r.get<std::uint32_t>();
    auto it = outstanding_.find(id);
    if (it == outstanding_.end()) throw DecodeError("a result for a batch never sent");
    Batch b = std::move(it->second);
    outstanding_.erase(it);
    if (b.request != MPI_REQUEST_NULL) MPI_Wait(&b.request, MPI_STATUS_IGNORE);  // it arrived
    if (b.worker > 0) --in_flight_[b.worker];
    spare_.push_back(std::move(b.message));
    if (b.call != call_) {
      stats_.duplicates += count;  // a late copy from a finished call
      return;
    }
    measured_seconds_ += seconds;
    measured_tasks_ += count;
    accepted_.clear();
    journal_batch_.clear();
    for (std::uint32_t k = 0; k < count; ++k) {
      std::size_t i = todo_[b.begin + k];
      auto status = r.get<std::uint8_t>();
      const char* start = r.position();
      Outcome<Result> o = decode(status, r);
      if (done_[i]) {
        ++stats_.duplicates;
        continue;
      }
      done_[i] = 1;
      ++done_count_;
      ++stats_.tasks_run;
      if (!journal_.is_open()) {
        on_result(i, std::move(o));
        continue;
      }
      Journal::encode(journal_batch_, call_, i, hashes_[i], status, start,
                      static_cast<std::size_t>(r.position() - start));
      accepted_.emplace_back(i, std::move(o));
    }
    if (journal_batch_.empty()) return;
    journal_.write(journal_batch_);  // on disk before anyone sees them
    for (auto& [i, o] : accepted_) on_result(i, std::move(o));
  }

  void stop_workers() {
    for (int w = 1; w < size_; ++w) MPI_Send(nullptr, 0, MPI_BYTE, w, kStop, comm_);
  }

  Function fn_;
  FarmOptions options_;
  ProgressReporter reporter_;
  MPI_Comm comm_ = MPI_COMM_NULL;
  int rank_ = 0, size_ = 1;
  int exceptions_ = std::uncaught_exceptions();
  Journal journal_;
  FarmStats stats_;

  // the current call (master)
  std::uint32_t call_ = kNoCall, next_call_ = 0;
  std::span<const Task> tasks_;
  std::vector<std::size_t> todo_;   ///< task indices still to run, in hand-out order
  std::size_t cursor_ = 0;          ///< todo_[cursor_..] not handed out yet
  std::vector<char> done_;
  std::size_t done_count_ = 0;
  std::vector<std::uint64_t> hashes_;  ///< task fingerprints, with a journal

  // batches (master)
  std::uint64_t next_batch_ = 0;
  std::unordered_map<std::uint64_t, Batch> outstanding_;
  std::vector<std::size_t> in_flight_;
  std::vector<std::uint64_t> sending_;  ///< batches whose MPI_Isend may not be done
  std::vector<std::vector<char>> spare_;
  std::vector<char> results_in_, local_results_, journal_batch_;
  std::vector<std::pair<std::size_t, Outcome<Result>>> accepted_;
  double measured_seconds_ = 0;
  std::size_t measured_tasks_ = 0;
};

}  // namespace beowulf
