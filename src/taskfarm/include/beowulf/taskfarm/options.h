#pragma once
// What a farm is told (FarmOptions), what it counts (FarmStats), and what a run()
// callback may do to its farm (FarmControl: add tasks, stop).

#include <sched.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <string>
#include <utility>

#include "beowulf/taskfarm/journal.h"
#include "beowulf/taskfarm/progress.h"
#include "beowulf/taskfarm/wire.h"

namespace beowulf {

struct FarmOptions {
  std::string journal;            ///< file of finished tasks to resume from; empty: none
  std::string journal_key;        ///< kept in the journal; a journal with another key is refused
  JournalSync journal_sync;       ///< fdatasync every N records or T seconds (journal.h)
  std::size_t threads_per_worker = 0;  ///< task threads per rank; 0: the CPUs the rank may use
  double task_timeout_seconds = 0;     ///< a task running longer is an error; 0: no limit
  double exit_grace_seconds = 1;       ///< how long the end waits for stragglers' copies
  std::size_t in_flight = 3;      ///< batches a worker may hold at once, per task thread
  /// Batch size aims at this much work: each batch wakes the worker's and the master's
  /// main threads, which take a core from the tasks (1 ms tasks across two boards over
  /// TCP: 0.77 of the ideal with 2 ms, 0.9 with 20 ms). Guided sizes still shrink at the end.
  double target_batch_seconds = 0.02;
  std::size_t max_chunk = 1 << 15;      ///< tasks per batch at most
  double straggler_factor = 4;          ///< a batch this many times its expected time is late
  double straggler_min_seconds = 0.2;   ///< and at least this late
  std::size_t max_message_bytes = detail::kMaxMessage;  ///< larger results are split or refused
  std::function<void(const Progress&)> progress;  ///< called every 100 ms and at the end
  bool progress_line = true;  ///< the stderr line (see progress.h for when it shows)
  std::function<void()> worker_setup;  ///< runs once on each rank that runs tasks, before its first
  std::uint64_t layout_salt = 0;  ///< added to this rank's layout fingerprint: for tests only
};

/// What the master counted, over the farm's lifetime.
struct FarmStats {
  std::size_t tasks_run = 0;     ///< results accepted from a run of the task
  std::size_t from_journal = 0;  ///< results taken from the journal instead
  std::size_t batches = 0;       ///< batches handed out, copies included
  std::size_t reissued = 0;      ///< tasks handed out again as stragglers
  std::size_t duplicates = 0;    ///< results dropped because the task was already done
  std::size_t timed_out = 0;     ///< tasks that ran past the timeout
  std::size_t lost_threads = 0;  ///< task threads lost to those tasks
};

/// The CPUs this process may run on (its affinity mask), at least 1.
inline std::size_t allowed_cpus() {
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof set, &set) != 0) return 1;
  return static_cast<std::size_t>(std::max(1, CPU_COUNT(&set)));
}

/// Given to the callback of TaskFarm::run: add tasks while results arrive, or stop.
template <typename Task>
class FarmControl {
 public:
  /// Adds a task to the run; its result comes to the callback like the others'.
  void submit(Task task) { added_.push_back(std::move(task)); }
  /// Ends the run: no more tasks are handed out and the callback is not called again;
  /// run() returns without waiting for the tasks still out.
  void stop() { stopped_ = true; }
  bool stopped() const { return stopped_; }

 private:
  template <typename, typename>
  friend class TaskFarm;
  std::deque<Task> added_;  ///< every task submitted in this run (a deque: stable references)
  bool stopped_ = false;
};

}  // namespace beowulf
