#pragma once
// The worker's side of the task farm. A worker rank's main thread is the only one that
// calls MPI (MPI_THREAD_FUNNELED): it receives batches, hands them to the rank's task
// threads (task_runner.h) and sends their results back, so messages keep moving while
// tasks run.
//
// Every farm a worker rank has alive is served by one loop: while the master uses two
// farms at once, the worker runs the tasks of both. The loop runs in a farm's
// constructor (until that farm stops, or the master asks the workers to yield because
// the program makes another farm) and, when the farm is still live, in its destructor.

#include <mpi.h>

#include <cstddef>
#include <deque>
#include <utility>
#include <vector>

#include "beowulf/taskfarm/task_runner.h"
#include "beowulf/taskfarm/wire.h"

namespace beowulf::detail {

/// A farm as the serving loop of a worker rank sees it.
class ServedFarm {
 public:
  virtual ~ServedFarm() = default;
  /// Handles what arrived and what the task threads finished; true when it did something.
  virtual bool poll() = 0;
  /// A result is still on its way: the loop must not sleep.
  virtual bool busy() = 0;
  /// Task threads are at work on this farm's batches: they ring doorbell() when done.
  virtual bool computing() const = 0;
  bool stopped = false;
};

/// This rank's live farms, in the order they were made.
inline std::vector<ServedFarm*>& served_farms() {
  static std::vector<ServedFarm*> farms;
  return farms;
}

/// Set when the master asked the workers to leave the loop (kYield).
inline bool& yield_requested() {
  static bool requested = false;
  return requested;
}

/// How often the main thread looks at MPI and the timeouts while the task threads compute
/// and have not rung: each look wakes a thread that takes the core from a task. Their
/// queue holds the next batches meanwhile, and a result rings at once.
constexpr auto kComputingPoll = std::chrono::milliseconds(10);

/// Serves every live farm of this rank until `self` is stopped or the master asks to yield.
/// While the task threads compute, the loop waits for their doorbell (or kComputingPoll)
/// rather than spinning: on a board the main thread's polling takes a core's time from
/// the tasks.
inline void serve_until(ServedFarm& self) {
  Backoff backoff;
  while (!self.stopped && !yield_requested()) {
    bool worked = false, busy = false, computing = false;
    auto& farms = served_farms();
    for (std::size_t i = 0; i < farms.size(); ++i) {
      worked |= farms[i]->poll();
      busy |= farms[i]->busy();
      computing |= farms[i]->computing();
    }
    if (!worked && !busy && computing) doorbell().wait(kComputingPoll);
    else backoff.pause(worked || busy);
  }
  yield_requested() = false;
}

/// One farm on a worker rank: its communicator, its task threads, its results in flight.
template <typename Task, typename Result>
class WorkerSide : public ServedFarm {
 public:
  WorkerSide(MPI_Comm comm, typename TaskRunner<Task, Result>::Function fn, std::size_t threads,
             double timeout_seconds, std::size_t max_message)
      : comm_(comm), runner_(std::move(fn), threads, timeout_seconds, max_message) {}

  bool poll() override {
    bool worked = false;
    if (!stopped) worked = receive_one();
    runner_.check_timeouts();
    for (std::vector<char> out; runner_.take(out);) {
      send(std::move(out), kResults);
      worked = true;
    }
    return worked;
  }

  bool computing() const override { return runner_.computing(); }

  bool busy() override {
    while (!sending_.empty()) {
      int done = 0;
      MPI_Test(&sending_.front().second, &done, MPI_STATUS_IGNORE);
      if (!done) return true;
      runner_.recycle(std::move(sending_.front().first));
      sending_.pop_front();
    }
    return false;
  }

 private:
  bool receive_one() {
    int flag = 0;
    MPI_Message msg;
    MPI_Status status;
    MPI_Improbe(0, MPI_ANY_TAG, comm_, &flag, &msg, &status);
    if (!flag) return false;
    receive(msg, status, in_);
    if (status.MPI_TAG == kTasks) runner_.submit(std::move(in_));
    else if (status.MPI_TAG == kStop) stop();
    else if (status.MPI_TAG == kYield) yield_requested() = true;
    in_ = runner_.spare_buffer();
    return true;
  }

  /// The master is done: no thread is waited for; what is finished still goes back (the
  /// master drains it), then kStopped says nothing more comes.
  void stop() {
    runner_.shutdown();
    for (std::vector<char> out; runner_.take(out);) send(std::move(out), kResults);
    send({}, kStopped);
    for (auto& [bytes, request] : sending_) MPI_Wait(&request, MPI_STATUS_IGNORE);
    sending_.clear();
    stopped = true;
  }

  void send(std::vector<char> bytes, int tag) {
    sending_.emplace_back(std::move(bytes), MPI_REQUEST_NULL);
    send_bytes(sending_.back().first, 0, tag, comm_, &sending_.back().second);
  }

  MPI_Comm comm_;
  TaskRunner<Task, Result> runner_;
  std::vector<char> in_;
  std::deque<std::pair<std::vector<char>, MPI_Request>> sending_;
};

}  // namespace beowulf::detail
