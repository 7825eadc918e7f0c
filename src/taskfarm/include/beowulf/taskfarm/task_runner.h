#pragma once
// TaskRunner: the threads of one rank that run batches of tasks, while the rank's main
// thread alone talks MPI (MPI_THREAD_FUNNELED). The main thread submits kTasks messages
// and takes finished kResults messages (wire.h for both layouts); a batch whose results
// would pass the message limit goes back in several messages.
//
// A task that runs past `timeout_seconds` (0: no limit) is answered by the main thread:
// the results finished before it, an error for it, "not run" for the rest of its batch
// (the master hands those out again). Its thread is abandoned (a thread cannot be killed:
// it goes on until the task returns, or the process ends) and the rank has one thread
// fewer; with none left it answers every batch "not run", and the master stops sending
// to it. At shutdown, threads still inside a task (a straggler copy that lost, a task
// that never returns) are detached, not waited for.

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <cstdint>
#include <deque>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "beowulf/taskfarm/serialize.h"
#include "beowulf/taskfarm/task_function.h"
#include "beowulf/taskfarm/wire.h"

namespace beowulf::detail {

template <typename Task, typename Result>
class TaskRunner {
 public:
  using Function = TaskFunction<Task, Result>;
  /// Batches whose tasks and results are their own bytes go without a status per result.
  static constexpr bool kPlainResults = Function::kArrays;

  TaskRunner(Function fn, std::size_t threads, double timeout_seconds, std::size_t max_message)
      : shared_(std::make_shared<Shared>()), timeout_(timeout_seconds) {
    shared_->fn = std::move(fn);
    shared_->max_message = max_message;
    shared_->timeout = timeout_seconds;
    for (std::size_t i = 0; i < std::max<std::size_t>(1, threads); ++i) {
      auto slot = std::make_shared<Slot>();
      slots_.push_back(slot);
      threads_.emplace_back([shared = shared_, slot] { work(*shared, *slot); });
    }
  }
  TaskRunner(const TaskRunner&) = delete;
  TaskRunner& operator=(const TaskRunner&) = delete;
  ~TaskRunner() { shutdown(); }

  /// Threads not lost to a timed-out task.
  std::size_t live_threads() const { return slots_.size(); }

  /// Batches submitted and not yet answered in full: the threads will ring doorbell().
  bool computing() const { return submitted_ != shared_->answered.load(std::memory_order_acquire); }

  /// Queues a kTasks message; with no thread left, answers it "not run" at once.
  void submit(std::vector<char> batch) {
    ++submitted_;
    std::lock_guard lock(shared_->mutex);
    if (slots_.empty()) {
      answer_not_run(batch);
      return;
    }
    shared_->queue.push_back(std::move(batch));
    shared_->wake.notify_one();
  }

  /// A finished kResults message, when there is one. `threads left` is filled in here.
  bool take(std::vector<char>& out) {
    if (shared_->ready.load(std::memory_order_acquire) == 0) return false;  // without the lock
    std::lock_guard lock(shared_->mutex);
    if (shared_->done.empty()) return false;
    out = std::move(shared_->done.front());
    shared_->done.pop_front();
    shared_->ready.store(shared_->done.size(), std::memory_order_release);
    set_threads_left(out, static_cast<std::uint32_t>(slots_.size()));
    return true;
  }

  /// A buffer that carried an earlier message, to carry the next (its pages already mapped).
  std::vector<char> spare_buffer() {
    std::lock_guard lock(shared_->mutex);
    return take_spare(*shared_);
  }

  /// Gives a message buffer that is no longer needed back for the next messages.
  void recycle(std::vector<char>&& buffer) {
    std::lock_guard lock(shared_->mutex);
    keep_spare(*shared_, std::move(buffer));
  }

  /// Answers every task that has run past the timeout and abandons its thread.
  void check_timeouts() {
    if (timeout_ <= 0) return;
    auto now = Clock::now().time_since_epoch().count();
    auto limit = static_cast<std::int64_t>(timeout_ * 1e9);
    auto late = [&](const std::shared_ptr<Slot>& s) {
      std::int64_t started = s->started.load();
      return started != 0 && now - started >= limit;
    };
    if (std::none_of(slots_.begin(), slots_.end(), late)) return;  // the usual case: no lock
    std::lock_guard lock(shared_->mutex);
    for (std::size_t i = 0; i < slots_.size();) {
      Slot& s = *slots_[i];
      std::int64_t started = s.started.load();
      if (started == 0 || now - started < limit) {
        ++i;
        continue;
      }
      answer_timed_out(s);
      s.abandoned = true;
      threads_[i].detach();
      slots_.erase(slots_.begin() + static_cast<long>(i));
      threads_.erase(threads_.begin() + static_cast<long>(i));
      // Without threads, the batches still queued are answered "not run".
      if (slots_.empty()) drain_queue_not_run();
    }
  }

  /// Ends the threads: the idle ones are joined, those inside a task detached.
  void shutdown() {
    {
      std::lock_guard lock(shared_->mutex);
      shared_->stopping = true;
      shared_->queue.clear();
      for (auto& s : slots_) s->abandoned = true;
    }
    shared_->wake.notify_all();
    for (std::size_t i = 0; i < threads_.size(); ++i) {
      if (!threads_[i].joinable()) continue;
      if (slots_[i]->busy.load()) threads_[i].detach();
      else threads_[i].join();
    }
    threads_.clear();
    slots_.clear();
  }

 private:
  using Clock = std::chrono::steady_clock;

  struct Shared {
    Function fn;
    std::size_t max_message = 0;
    double timeout = 0;
    std::mutex mutex;
    std::condition_variable wake;
    std::deque<std::vector<char>> queue, done;
    std::vector<std::vector<char>> spare;  ///< buffers of messages gone, for the next ones
    std::atomic<std::size_t> ready{0};  ///< done.size(), readable without the mutex
    std::atomic<std::size_t> answered{0};  ///< batches whose last results are in `done`
    bool stopping = false;
  };

  /// What one thread is doing, read by the main thread under the mutex.
  struct Slot {
    std::atomic<std::int64_t> started{0};  ///< when the current task began (ns), with a timeout
    std::atomic<bool> busy{false};         ///< inside a batch
    std::atomic<bool> abandoned{false};
    std::uint64_t batch = 0;
    std::uint32_t count = 0;     ///< tasks in the batch
    std::uint32_t first = 0;     ///< of the results in `out`
    std::uint32_t finished = 0;  ///< results in `out`
    std::vector<char> out;
  };

  static void work(Shared& shared, Slot& slot) {
    std::vector<char> in, one;
    for (;;) {
      {
        std::unique_lock lock(shared.mutex);
        shared.wake.wait(lock, [&] { return shared.stopping || !shared.queue.empty() || slot.abandoned; });
        if (shared.stopping || slot.abandoned) return;
        keep_spare(shared, std::move(in));
        in = std::move(shared.queue.front());
        shared.queue.pop_front();
        slot.busy = true;
      }
      if (!run(shared, slot, in, one)) return;
    }
  }

  /// Runs one batch; false when the thread was abandoned meanwhile.
  static bool run(Shared& shared, Slot& slot, const std::vector<char>& in, std::vector<char>& one) {
    Reader r(in.data(), in.size());
    auto id = r.get<std::uint64_t>();
    auto count = r.get<std::uint32_t>();
    // With a timeout the main thread may answer for this batch at any moment: every
    // result is added under the mutex. Without one, only the flushes take it.
    bool timed = shared.timeout > 0;
    bool plain = kPlainResults && !timed;
    {
      std::lock_guard lock(shared.mutex);
      slot.batch = id;
      slot.count = count;
      slot.first = slot.finished = 0;
      begin_results(slot.out, id, 0, 0, plain ? kPlain : kEach);
    }
    auto since = Clock::now();
    std::uint32_t k = 0;
    if constexpr (kPlainResults) {
      if (plain) k = run_plain(shared, slot, r, count, since);
      if (slot.abandoned) return false;
    }
    Task task{};
    for (; k < count; ++k) {
      if (!timed) {
        if (!run_untimed(shared, slot, r, task, one, since)) return false;
        continue;
      }
      one.clear();
      slot.started = Clock::now().time_since_epoch().count();
      run_one(shared, r, task, one);
      std::lock_guard lock(shared.mutex);
      slot.started = 0;
      if (slot.abandoned) return false;
      if (slot.out.size() + one.size() > shared.max_message && slot.finished > 0) flush(shared, slot, since);
      slot.out.insert(slot.out.end(), one.begin(), one.end());
      ++slot.finished;
    }
    std::lock_guard lock(shared.mutex);
    flush(shared, slot, since);
    shared.answered.fetch_add(1, std::memory_order_release);
    slot.busy = false;
    return true;
  }

  /// Tasks and results that are their own bytes on the wire: a batch is an array in and an
  /// array out (kPlain), with no status per result. A task that throws ends the array:
  /// the results before it go out as one message, and the next one (kEach) starts with
  /// its error. Returns how many of the batch's tasks ran.
  static std::uint32_t run_plain(Shared& shared, Slot& slot, Reader& r, std::uint32_t count,
                                 Clock::time_point& since) {
    const std::size_t fit = std::max<std::size_t>(1, (shared.max_message - kResultsHeader) / sizeof(Result));
    const char* end = r.position() + r.remaining();
    for (std::uint32_t k = 0; k < count;) {
      if (slot.finished == fit) {
        std::lock_guard lock(shared.mutex);
        flush(shared, slot, since, kPlain);
      }
      auto n = static_cast<std::uint32_t>(std::min<std::size_t>(count - k, fit - slot.finished));
      const char* tasks = r.skip(std::size_t{n} * sizeof(Task));
      std::size_t at = slot.out.size();
      slot.out.resize(at + std::size_t{n} * sizeof(Result));
      std::uint32_t j = 0;
      try {
        shared.fn.array(tasks, slot.out.data() + at, n, j);
      } catch (...) {
        slot.out.resize(at + std::size_t{j} * sizeof(Result));
        slot.finished += j;
        end_array_with_error(shared, slot, since, thrown_message());
        const char* next = tasks + std::size_t{j + 1} * sizeof(Task);
        r = Reader(next, static_cast<std::size_t>(end - next));
        return k + j + 1;
      }
      if (slot.abandoned) return count;
      slot.finished += n;
      k += n;
    }
    return count;
  }

  /// A task of the array threw: the results before it go out in kPlain form, and its
  /// error starts a kEach message for the rest of the batch.
  static void end_array_with_error(Shared& shared, Slot& slot, Clock::time_point& since, const std::string& error) {
    if (slot.finished > 0) {
      std::lock_guard lock(shared.mutex);
      flush(shared, slot, since, kEach);
    } else {
      set_form(slot.out, kEach);
    }
    Writer(slot.out) << kThrew << error;
    ++slot.finished;
  }

  /// The message of the exception being handled (call inside a catch block).
  static std::string thrown_message() {
    try {
      throw;
    } catch (const std::exception& e) {
      return e.what();
    } catch (...) {
      return "task threw an exception that is not a std::exception";
    }
  }

  /// Without a timeout no other thread looks at slot.out until a flush: the result goes
  /// straight into it, and moves to the next message only when it does not fit.
  static bool run_untimed(Shared& shared, Slot& slot, Reader& r, Task& task, std::vector<char>& one,
                          Clock::time_point& since) {
    std::size_t mark = slot.out.size();
    run_one(shared, r, task, slot.out);
    if (slot.abandoned) return false;
    if (slot.out.size() > shared.max_message && slot.finished > 0) {
      one.assign(slot.out.begin() + static_cast<long>(mark), slot.out.end());
      slot.out.resize(mark);
      {
        std::lock_guard lock(shared.mutex);
        flush(shared, slot, since);
      }
      slot.out.insert(slot.out.end(), one.begin(), one.end());
    }
    ++slot.finished;
    return true;
  }

  /// Appends the next task's status and result (or error) to `out`.
  static void run_one(Shared& shared, Reader& r, Task& task, std::vector<char>& out) {
    std::size_t mark = out.size();
    Writer w(out);
    std::string error;
    try {
      r.get(task);
    } catch (const DecodeError& e) {
      w << kThrew << std::string("task could not be decoded: ") + e.what();
      return;
    }
    try {
      Result result = shared.fn.one(task);
      if constexpr (wire::same_in_memory<Result>()) {  // status and result in one step
        out.resize(mark + 1 + sizeof(Result));
        out[mark] = static_cast<char>(kOk);
        std::memcpy(out.data() + mark + 1, &result, sizeof(Result));
      } else {
        w << kOk;
        w.put(result);
      }
      std::size_t size = out.size() - mark;
      if (size + kResultsHeader <= shared.max_message) return;
      error = "the result is " + std::to_string(size - 1) + " bytes, over the " +
              std::to_string(shared.max_message - kResultsHeader - 1) + " one message may carry";
    } catch (...) {
      error = thrown_message();
    }
    out.resize(mark);  // drop what a failing serialize hook may have written
    w << kThrew << error;
  }

  /// Moves the results in slot.out to the done queue as one message (mutex held).
  static void flush(Shared& shared, Slot& slot, Clock::time_point& since, std::uint8_t next_form = kEach) {
    auto now = Clock::now();
    end_results(slot.out, slot.finished, std::chrono::duration<double>(now - since).count());
    since = now;
    shared.done.push_back(std::move(slot.out));
    shared.ready.store(shared.done.size(), std::memory_order_release);
    doorbell().ring();
    slot.first += slot.finished;
    slot.out = take_spare(shared);
    begin_results(slot.out, slot.batch, slot.first, 0, next_form);
    slot.finished = 0;
  }

  static constexpr std::size_t kSpareBuffers = 8;

  /// (mutex held)
  static std::vector<char> take_spare(Shared& shared) {
    if (shared.spare.empty()) return {};
    std::vector<char> buffer = std::move(shared.spare.back());
    shared.spare.pop_back();
    buffer.clear();
    return buffer;
  }

  /// (mutex held)
  static void keep_spare(Shared& shared, std::vector<char>&& buffer) {
    if (buffer.capacity() > 0 && shared.spare.size() < kSpareBuffers) shared.spare.push_back(std::move(buffer));
  }

  /// The answer for the batch of a timed-out thread (mutex held).
  void answer_timed_out(Slot& s) {
    Writer w(s.out);
    w << kTimedOut << "the task ran past its timeout of " + seconds_text(timeout_);
    std::uint32_t not_run = s.count - s.first - s.finished - 1;
    for (std::uint32_t k = 0; k < not_run; ++k) w << kNotRun;
    end_results(s.out, s.finished + 1 + not_run, 0.0);
    shared_->answered.fetch_add(1, std::memory_order_release);
    shared_->done.push_back(std::move(s.out));
    shared_->ready.store(shared_->done.size(), std::memory_order_release);
  }

  void drain_queue_not_run() {
    auto queued = std::move(shared_->queue);
    shared_->queue.clear();
    for (auto& batch : queued) answer_not_run(batch);
  }

  /// Answers every task of `batch` "not run" (mutex held).
  void answer_not_run(const std::vector<char>& batch) {
    Reader r(batch.data(), batch.size());
    auto id = r.get<std::uint64_t>();
    auto count = r.get<std::uint32_t>();
    std::vector<char> out;
    begin_results(out, id, 0, 0);
    for (std::uint32_t k = 0; k < count; ++k) out.push_back(static_cast<char>(kNotRun));
    end_results(out, count, 0.0);
    shared_->answered.fetch_add(1, std::memory_order_release);
    shared_->done.push_back(std::move(out));
    shared_->ready.store(shared_->done.size(), std::memory_order_release);
  }

  static std::string seconds_text(double s) {
    char text[32];
    std::snprintf(text, sizeof text, "%g s", s);
    return text;
  }

  std::shared_ptr<Shared> shared_;
  std::vector<std::shared_ptr<Slot>> slots_;
  std::vector<std::thread> threads_;
  double timeout_;
  std::size_t submitted_ = 0;
};

}  // namespace beowulf::detail
