#pragma once
// TaskFarm<Task, Result>: the master-worker pattern. Every rank constructs the farm with
// the same function; on a worker the constructor serves tasks until the master's farm is
// destroyed, on the master (rank 0) it returns at once and the master calls map() or
// for_each_result(). With one rank the master's own task threads run the tasks.
//
// The protocol (wire.h), on a communicator of its own (a dup of the session's), after a
// handshake in which the ranks check they encode the types alike (handshake.h): one
// message per batch of tasks, one (or more, when large) per batch of results. The
// master sends with MPI_Isend so that it never blocks on a worker that is itself blocked
// sending a large result. Each worker holds at most `in_flight` batches per task thread,
// so it always has the next one queued; batch sizes follow ChunkPolicy (guided, bounded
// by time).
//
// Stragglers: once every task has been handed out, a worker with nothing to do gets a copy
// of the oldest batch that has run `straggler_factor` times longer than expected (and at
// least `straggler_min_seconds`); the first result for a task wins, later ones are dropped.
// Timeouts: a task past `task_timeout_seconds` becomes an error; its thread is lost
// (task_runner.h); a worker with no thread left gets no more tasks.
// Shutdown: the master's destructor waits at most `exit_grace_seconds` for the batches
// still out (copies of stragglers that lost included), then stops the workers, which do
// not wait for tasks still running. A farm destroyed by an exception on the master aborts
// the job (MPI_Abort): the workers must not wait for a master that is gone.
//
// Two farms may be alive at once: making the second asks the workers to leave the first
// one's serving loop, and from then on they serve both (worker.h).

#include <mpi.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <type_traits>
#include <string>
#include <utility>
#include <vector>

#include "beowulf/taskfarm/batches.h"
#include "beowulf/taskfarm/handshake.h"
#include "beowulf/taskfarm/journal.h"
#include "beowulf/taskfarm/layout.h"
#include "beowulf/taskfarm/options.h"
#include "beowulf/taskfarm/outcome.h"
#include "beowulf/taskfarm/progress.h"
#include "beowulf/taskfarm/schedule.h"
#include "beowulf/taskfarm/serialize.h"
#include "beowulf/taskfarm/session.h"
#include "beowulf/taskfarm/task_runner.h"
#include "beowulf/taskfarm/todo_list.h"
#include "beowulf/taskfarm/wire.h"
#include "beowulf/taskfarm/worker.h"

namespace beowulf {

template <typename Task, typename Result>
class TaskFarm {
 public:
  using Function = std::function<Result(const Task&)>;

  /// Collective over the session's ranks. On a worker, serves tasks and returns when the
  /// master's farm is destroyed (or the program makes another farm). On the master,
  /// opens the journal when one is named; throws JournalError or std::system_error when
  /// it cannot (after releasing the workers).
  template <typename F>
    requires std::is_invocable_r_v<Result, F&, const Task&>
  TaskFarm(mpi::Session& session, F fn, FarmOptions options = {})
      : fn_(detail::TaskFunction<Task, Result>::of(std::move(fn))), options_(std::move(options)),
        reporter_(options_.progress, options_.progress_line) {
    connect(session, 0);
    serve_or_start();
  }

  /// With a context: the master's `context` is sent once to every rank (MPI_Bcast) and
  /// `fn(context, task)` runs each task, so a task carries only what differs. The
  /// argument is ignored on the workers (their copy comes from the master).
  template <typename Context, typename F>
    requires std::is_invocable_r_v<Result, F&, const Context&, const Task&>
  TaskFarm(mpi::Session& session, const Context& context, F fn, FarmOptions options = {})
      : options_(std::move(options)), reporter_(options_.progress, options_.progress_line) {
    std::string described = detail::describe<Context>();
    connect(session, fnv1a(described.data(), described.size()));
    auto shared = std::make_shared<const Context>(broadcast(context));
    fn_ = detail::TaskFunction<Task, Result>::of(
        [shared, fn = std::move(fn)](const Task& task) mutable { return fn(*shared, task); });
    serve_or_start();
  }

  TaskFarm(const TaskFarm&) = delete;
  TaskFarm& operator=(const TaskFarm&) = delete;

  ~TaskFarm() {
    if (comm_ == MPI_COMM_NULL) return;
    if (rank_ == 0) {
      if (std::uncaught_exceptions() > exceptions_) MPI_Abort(comm_, 1);
      finish_master();
    } else {
      if (!worker_->stopped) detail::serve_until(*worker_);
      std::erase(detail::served_farms(), worker_.get());
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
    run_call(tasks, [&](std::size_t i, Outcome<Result>&& o) { out[i] = std::move(o); });
    return out;
  }

  /// Master only: runs fn on every task and calls `on_result(task, outcome)` for each as
  /// it completes (results found in the journal first). Each task's outcome comes once.
  template <typename Callback>
  void for_each_result(std::span<const Task> tasks, Callback&& on_result) {
    run_call(tasks, [&](std::size_t i, Outcome<Result>&& o) { on_result(tasks[i], std::move(o)); });
  }

  /// Master only: dynamic work. Runs `first_tasks`, and calls
  /// `on_result(task, outcome, control)` for each result as it comes; the callback may
  /// add tasks (control.submit) or end the run (control.stop). Returns when every task
  /// submitted has its result, or at stop.
  template <typename Callback>
  void run(const std::vector<Task>& first_tasks, Callback&& on_result) {
    run_call(first_tasks, [&](std::size_t i, Outcome<Result>&& o) {
      if (!control_.stopped_) on_result(task_at(i), std::move(o), control_);
    });
  }

  /// Master only: folds the results into `init` as they come, `init = fold(init, outcome)`,
  /// in the order they complete; returns the fold.
  template <typename Acc, typename Fold>
  Acc reduce(std::span<const Task> tasks, Acc init, Fold&& fold) {
    run_call(tasks, [&](std::size_t, Outcome<Result>&& o) { init = fold(std::move(init), std::move(o)); });
    return init;
  }

 private:
  using Backoff = detail::Backoff;
  using Clock = std::chrono::steady_clock;
  static constexpr std::uint32_t kNoCall = UINT32_MAX;
  static constexpr std::size_t kMaxTaskBytes = std::size_t{1} << 26;  ///< a batch of tasks stops growing here

  using Batch = detail::Batch;

  /// Collective: the farm's communicator and the handshake (`extra` joins the layout).
  void connect(mpi::Session& session, std::uint64_t extra) {
    options_.in_flight = std::max<std::size_t>(1, options_.in_flight);
    if (options_.threads_per_worker == 0) options_.threads_per_worker = allowed_cpus();
    MPI_Comm_rank(session.comm(), &rank_);
    if (rank_ == 0 && !master_farms().empty()) yield_workers(master_farms().back());
    MPI_Comm_dup(session.comm(), &comm_);
    MPI_Comm_size(comm_, &size_);
    layouts_ = detail::handshake(
        comm_, {.layout = layout_fingerprint<Task, Result>() + extra + options_.layout_salt,
                .threads = static_cast<std::uint32_t>(options_.threads_per_worker)});
  }

  /// A worker serves until stopped (or asked to yield); the master gets ready.
  void serve_or_start() {
    if (options_.worker_setup && (rank_ != 0 || size_ == 1)) options_.worker_setup();
    if (rank_ == 0) {
      start_master(layouts_);
      return;
    }
    worker_ = std::make_unique<detail::WorkerSide<Task, Result>>(
        comm_, fn_, options_.threads_per_worker, options_.task_timeout_seconds, options_.max_message_bytes);
    detail::served_farms().push_back(worker_.get());
    detail::serve_until(*worker_);
  }

  /// The master's `value` on every rank, in pieces that fit an int count.
  template <typename Context>
  Context broadcast(const Context& value) {
    std::vector<char> bytes;
    if (rank_ == 0) Writer(bytes).put(value);
    std::uint64_t size = bytes.size();
    MPI_Bcast(&size, 1, MPI_UINT64_T, 0, comm_);
    bytes.resize(static_cast<std::size_t>(size));
    constexpr std::uint64_t kPiece = std::uint64_t{1} << 30;
    for (std::uint64_t at = 0; at < size; at += kPiece)
      MPI_Bcast(bytes.data() + at, static_cast<int>(std::min(kPiece, size - at)), MPI_BYTE, 0, comm_);
    if (rank_ == 0) return value;
    return from_bytes<Context>(bytes.data(), bytes.size());
  }

  static std::vector<MPI_Comm>& master_farms() {
    static std::vector<MPI_Comm> farms;
    return farms;
  }

  /// The workers serve the live farm on `comm`: ask them to leave its loop to make this one.
  void yield_workers(MPI_Comm comm) {
    int size = 1;
    MPI_Comm_size(comm, &size);
    for (int w = 1; w < size; ++w) MPI_Send(nullptr, 0, MPI_BYTE, w, detail::kYield, comm);
  }

  void start_master(const std::vector<detail::RankLayout>& layouts) {
    for (int w = 0; w < size_; ++w) {
      bool runs_tasks = size_ == 1 ? w == 0 : w > 0;
      if (runs_tasks) workers_.push_back(w);
    }
    threads_.assign(static_cast<std::size_t>(size_), 0);
    for (int w : workers_) threads_[w] = layouts[w].threads;
    batches_ = detail::Batches(static_cast<std::size_t>(size_));
    if (size_ == 1) {
      local_ = std::make_unique<detail::TaskRunner<Task, Result>>(
          fn_, options_.threads_per_worker, options_.task_timeout_seconds, options_.max_message_bytes);
    }
    if (!options_.journal.empty()) {
      try {
        journal_ = Journal::open(options_.journal, {layout_fingerprint<Task, Result>(), options_.journal_key},
                                 options_.journal_sync);
      } catch (...) {
        stop_workers();
        MPI_Comm_free(&comm_);
        throw;
      }
      warn_about_corrupt_records();
    }
    master_farms().push_back(comm_);
  }

  void finish_master() {
    call_ = kNoCall;
    auto none = [](std::size_t, Outcome<Result>&&) {};
    auto deadline = Clock::now() + std::chrono::duration<double>(options_.exit_grace_seconds);
    for (Backoff backoff; !batches_.empty() && Clock::now() < deadline;) {
      if (!poll_result(none)) backoff.pause(sending());
    }
    stop_workers();
    if (local_) local_->shutdown();
    std::erase(master_farms(), comm_);
  }

  // ---- one call ----

  template <typename DeliverFn>
  void run_call(std::span<const Task> tasks, DeliverFn&& deliver_fn) {
    if (rank_ != 0) throw std::logic_error("beowulf::TaskFarm: only the master (rank 0) submits tasks");
    auto& deliver = deliver_fn;  // a template all the way down: one call per result, inlined
    call_ = next_call_++;
    tasks_ = tasks;
    control_ = FarmControl<Task>{};
    hashes_.clear();
    done_count_ = 0;
    cursor_ = 0;
    if (journal_.is_open()) {  // each task looked up first
      done_.clear();
      todo_.reset(0);
      hashes_.reserve(tasks.size());
      for (std::size_t i = 0; i < tasks_.size(); ++i) enqueue(i, deliver);
    } else {
      done_.assign(tasks.size(), 0);
      todo_.reset(tasks.size());
    }
    reporter_.start(tasks.size(), done_count_);
    for (;;) {
      absorb_submitted(deliver);
      if (control_.stopped_ || done_count_ >= total()) break;
      deal(deliver);
      if (!poll_result(deliver)) idle(deliver);
      reporter_.update(done_count_);
    }
    reporter_.update(done_count_, true);
    tasks_ = {};
    control_.added_.clear();
  }

  std::size_t total() const { return tasks_.size() + control_.added_.size(); }

  const Task& task_at(std::size_t i) const {
    return i < tasks_.size() ? tasks_[i] : control_.added_[i - tasks_.size()];
  }

  /// Task i goes on the to-do list, unless the journal has its result (delivered now).
  void enqueue(std::size_t i, auto& deliver) {
    done_.push_back(0);
    if (journal_.is_open()) {
      auto bytes = to_bytes(task_at(i));
      hashes_.push_back(fnv1a(bytes.data(), bytes.size()));
      if (auto o = from_journal(i)) {
        accept(i);
        ++stats_.from_journal;
        deliver(i, std::move(*o));
        return;
      }
    }
    todo_.push_back(i);
  }

  /// Takes in the tasks the run() callback submitted (and those their journal hits add).
  void absorb_submitted(auto& deliver) {
    while (done_.size() < total() && !control_.stopped_) enqueue(done_.size(), deliver);
    reporter_.grow(total());
  }

  void accept(std::size_t i) {
    done_[i] = 1;
    ++done_count_;
  }

  /// Task i's outcome from the journal, when it holds one for this very task that
  /// decodes in full.
  std::optional<Outcome<Result>> from_journal(std::size_t i) {
    const Journal::Record* rec = journal_.find(call_, i, hashes_[i]);
    if (!rec) return std::nullopt;
    std::vector<char> bytes = journal_.result(*rec);
    try {
      Reader r(bytes.data(), bytes.size());
      Outcome<Result> o = decode(rec->status == 0 ? detail::kOk : detail::kThrew, r);
      if (r.remaining() != 0) return std::nullopt;  // not this result type: run it again
      return o;
    } catch (const DecodeError&) {
      return std::nullopt;
    }
  }

  void warn_about_corrupt_records() const {
    std::size_t n = journal_.corrupt_records();
    if (n == 0) return;
    std::fprintf(stderr, "taskfarm: warning: journal %s: %zu corrupt record%s skipped; %s task%s run again\n",
                 journal_.path().c_str(), n, n == 1 ? "" : "s", n == 1 ? "its" : "their", n == 1 ? " is" : "s are");
  }

  /// The next result of a kPlain message: its bytes, as in memory.
  static Outcome<Result> plain_result(Reader& r) {
    if constexpr (wire::same_in_memory<Result>()) {
      Result value;
      std::memcpy(&value, r.skip(sizeof(Result)), sizeof(Result));
      return Outcome<Result>(value);
    } else {
      throw DecodeError("plain results of a type that has no fixed size");
    }
  }

  static Outcome<Result> decode(std::uint8_t status, Reader& r) {
    if (status != detail::kOk) return TaskError{r.get<std::string>()};
    Result value{};
    r.get(value);
    return Outcome<Result>(std::move(value));
  }

  ChunkPolicy policy() const {
    std::size_t threads = 0;
    for (int w : workers_) threads += threads_[w];
    return {.workers = std::max<std::size_t>(1, threads), .in_flight = options_.in_flight,
            .target_batch_seconds = options_.target_batch_seconds, .max_chunk = options_.max_chunk};
  }

  double mean_task_seconds() const {
    return measured_tasks_ ? measured_seconds_ / static_cast<double>(measured_tasks_) : -1.0;
  }

  std::size_t slots(int w) const { return options_.in_flight * threads_[w]; }

  /// Hands out new batches to every worker with a free slot; fails what is left when no
  /// worker has a thread left.
  void deal(auto& deliver) {
    if (std::all_of(workers_.begin(), workers_.end(), [&](int w) { return threads_[w] == 0; })) {
      for (; cursor_ < todo_.size(); ++cursor_) {
        if (done_[todo_[cursor_]]) continue;
        accept(todo_[cursor_]);
        deliver(todo_[cursor_], TaskError{"not run: every task thread was lost to a task that timed out"});
      }
      return;
    }
    for (bool sent = true; sent;) {
      sent = false;
      for (int w : workers_) {
        if (cursor_ >= todo_.size()) return;
        if (batches_.held_by(w) >= slots(w)) continue;
        std::size_t chunk = policy().next_chunk(todo_.size() - cursor_, mean_task_seconds());
        cursor_ = send_batch(w, cursor_, cursor_ + chunk, deliver);
        sent = true;
      }
    }
  }

  /// Builds the message for positions [begin, end) of the to-do list (fewer when it
  /// would grow past kMaxTaskBytes) and records the batch. A task too large for one
  /// message is an error outcome, not sent. Returns where it ended and the batch id
  /// (UINT64_MAX when nothing was sent).
  std::pair<std::size_t, std::uint64_t> make_batch(int worker, std::size_t begin, std::size_t end,
                                                   auto& deliver) {
    Batch b;
    b.worker = worker;
    b.call = call_;
    b.begin = begin;
    b.sent = Clock::now();
    b.message = batches_.spare_message();
    Writer w(b.message);
    std::uint64_t id = next_batch_;
    w << id << std::uint32_t{0};
    std::size_t k = copy_in_order(w, begin, end);
    for (; k < end && (k == begin || b.message.size() < kMaxTaskBytes); ++k) {
      std::size_t mark = b.message.size();
      w.put(task_at(todo_[k]));
      if (b.message.size() <= options_.max_message_bytes) continue;
      b.message.resize(mark);
      if (k > begin) break;
      refuse_large_task(todo_[k], deliver);  // alone too large
      return {k + 1, UINT64_MAX};
    }
    b.end = k;
    std::vector<char> count;
    Writer(count) << static_cast<std::uint32_t>(k - begin);
    std::memcpy(b.message.data() + 8, count.data(), 4);
    ++next_batch_;
    ++stats_.batches;
    batches_.add(id, std::move(b));
    return {k, id};
  }

  /// Tasks that are their own bytes on the wire, at neighbouring positions of the list,
  /// go into the message in one copy, as many as fit; returns the position after them.
  std::size_t copy_in_order(Writer& w, std::size_t begin, std::size_t end) {
    if constexpr (wire::same_in_memory<Task>()) {
      constexpr std::size_t kHeader = 12;
      std::size_t room = std::min(kMaxTaskBytes, options_.max_message_bytes);
      if (!todo_.in_order(begin, end) || room < kHeader + sizeof(Task)) return begin;
      std::size_t count = std::min(end - begin, (room - kHeader) / sizeof(Task));
      w.bytes(tasks_.data() + begin, count * sizeof(Task));
      return begin + count;
    }
    return begin;
  }

  void refuse_large_task(std::size_t i, auto& deliver) {
    if (done_[i]) return;
    std::size_t bytes = to_bytes(task_at(i)).size();
    accept(i);
    deliver(i, TaskError{"the task is " + std::to_string(bytes) + " bytes, over the " +
                         std::to_string(options_.max_message_bytes) + " one message may carry"});
  }

  std::size_t send_batch(int worker, std::size_t begin, std::size_t end, auto& deliver) {
    auto [stop, id] = make_batch(worker, begin, end, deliver);
    if (id == UINT64_MAX) return stop;
    Batch& b = *batches_.find(id);
    if (worker == 0) {
      local_->submit(b.message);
    } else {
      detail::send_bytes(b.message, worker, detail::kTasks, comm_, &b.request);
      batches_.sending(id);
    }
    return stop;
  }

  /// Receives and handles one result message when one is there; false when none is.
  bool poll_result(auto& deliver) {
    if (local_) {
      local_->check_timeouts();
      if (!local_->take(results_in_)) return false;
      handle_results(0, results_in_, deliver);
      return true;
    }
    int flag = 0;
    MPI_Message msg;
    MPI_Status status;
    MPI_Improbe(MPI_ANY_SOURCE, detail::kResults, comm_, &flag, &msg, &status);
    if (!flag) return false;
    detail::receive(msg, status, results_in_);
    handle_results(status.MPI_SOURCE, results_in_, deliver);
    return true;
  }

  /// Nothing arrived: back off a little (not while a batch is still being sent: it moves
  /// only while the master calls into MPI), and give copies of stragglers to idle workers.
  /// Returns at a result, or after 100 ms so that the progress line stays current.
  void idle(auto& deliver) {
    Backoff backoff(longest_wait());
    auto since = Clock::now();
    for (int spins = 0;; ++spins) {
      auto waited = Clock::now() - since;  // read once a turn: this loop is the master's hot path
      if (waited >= std::chrono::milliseconds(100)) return;
      backoff.pause(sending() || result_due(waited));
      if (poll_result(deliver)) return;
      if ((spins & 15) == 0) reissue_stragglers(deliver);
    }
  }

  /// Whether a batch message is still on its way to a worker.
  bool sending() { return batches_.still_sending(); }

  /// How long the master may sleep between polls while it waits for results: each worker
  /// holds in_flight batches, so an answer seen late still leaves it in_flight - 1 to run;
  /// a quarter of that time, between 50 us and 1 ms. Over TCP a poll is a system call on
  /// every socket: at 50 us, the master of 1 ms tasks took half a core from the workers.
  std::chrono::microseconds longest_wait() const {
    using namespace std::chrono_literals;
    double slack = last_batch_seconds_ * (static_cast<double>(options_.in_flight) - 1) / 4;
    return std::clamp(std::chrono::microseconds(static_cast<std::int64_t>(slack * 1e6)), 50us, 1000us);
  }

  /// Whether the next result should come before a sleeping master would wake: batches
  /// compute in well under the time a sleep and wake-up take (a batch of tiny tasks, capped
  /// at max_chunk), and the last result is recent. The master then polls as MPI's own
  /// blocking calls do; sleeping there cost 10 to 20% of the rate of empty tasks. Batches
  /// of the usual size (target_batch_seconds) and a long wait (a straggler) back off.
  bool result_due(Clock::duration waited) const {
    constexpr double kQuickBatchSeconds = 0.5e-3;
    constexpr auto kPollFor = std::chrono::milliseconds(2);
    return last_batch_seconds_ < kQuickBatchSeconds && waited < kPollFor;
  }

  void reissue_stragglers(auto& deliver) {
    if (cursor_ < todo_.size() || call_ == kNoCall) return;
    for (int w : workers_) {
      if (batches_.held_by(w) != 0 || threads_[w] == 0) continue;
      Batch* late = batches_.oldest_late(call_, std::max(0.0, mean_task_seconds()), options_.straggler_min_seconds,
                                         options_.straggler_factor);
      if (!late) return;
      late->copied = true;
      std::size_t begin = late->begin, end = late->end;
      for (std::size_t k = begin; k < end; ++k) stats_.reissued += done_[todo_[k]] ? 0 : 1;
      std::uint64_t id = next_batch_;
      send_batch(w, begin, end, deliver);
      if (Batch* copy = batches_.find(id)) copy->copied = true;
    }
  }

  /// Takes one results message from worker `from`: journals the new results, then
  /// delivers them; tasks not run go back on the to-do list.
  void handle_results(int from, const std::vector<char>& message, auto& deliver) {
    Reader r(message.data(), message.size());
    auto id = r.get<std::uint64_t>();
    auto seconds = r.get<double>();
    auto first = r.get<std::uint32_t>();
    auto count = r.get<std::uint32_t>();
    auto threads_left = r.get<std::uint32_t>();
    auto form = r.get<std::uint8_t>();
    if (threads_left < threads_[from]) {
      stats_.lost_threads += threads_[from] - threads_left;
      threads_[from] = threads_left;
    }
    Batch* b = batches_.find(id);
    if (!b) throw DecodeError("a result for a batch never sent");
    std::uint32_t call = b->call;
    std::size_t begin = b->begin + first;
    bool sole = !b->copied;  // no straggler copy: none of these results can have come already
    b->received += count;
    if (b->received >= b->end - b->begin) batches_.finish(id);
    if (call != call_) {
      stats_.duplicates += count;  // a late copy from a finished call
      return;
    }
    measured_seconds_ += seconds;
    measured_tasks_ += count;
    last_batch_seconds_ = seconds;
    bool plain = form == detail::kPlain;
    if constexpr (wire::same_in_memory<Result>()) {
      if (plain && !journal_.is_open()) return take_plain(r, begin, count, sole, deliver);
    }
    take_results(r, begin, count, plain, deliver);
  }

  /// The results of a kPlain message, with no journal to write: the one loop that runs
  /// once per task on the master, so it keeps its counts in locals (a store to done_, a
  /// char, would make the compiler reload every member after it).
  void take_plain(Reader& r, std::size_t begin, std::uint32_t count, bool sole, auto& deliver) {
    const char* at = r.skip(std::size_t{count} * sizeof(Result));
    if (sole && todo_.in_order(begin, begin + count)) return take_plain_run(at, begin, count, deliver);
    char* done = done_.data();
    std::size_t taken = 0;
    for (std::uint32_t k = 0; k < count; ++k, at += sizeof(Result)) {
      std::size_t i = todo_[begin + k];
      if (done[i]) continue;
      done[i] = 1;
      ++taken;
      Result value;
      std::memcpy(&value, at, sizeof(Result));
      deliver(i, Outcome<Result>(value));
    }
    done_count_ += taken;
    stats_.tasks_run += taken;
    stats_.duplicates += count - taken;
  }

  /// The results of neighbouring tasks [begin, begin + count) of a batch that has no
  /// copy: the usual case, with no check per result, so that a fold the compiler can see
  /// through (reduce's sum) becomes one loop over the array.
  void take_plain_run(const char* at, std::size_t begin, std::uint32_t count, auto& deliver) {
    std::memset(done_.data() + begin, 1, count);
    for (std::uint32_t k = 0; k < count; ++k, at += sizeof(Result)) {
      Result value;
      std::memcpy(&value, at, sizeof(Result));
      deliver(begin + k, Outcome<Result>(value));
    }
    done_count_ += count;
    stats_.tasks_run += count;
  }

  /// `plain`: the results come without a status each, every one a result (wire.h).
  void take_results(Reader& r, std::size_t begin, std::uint32_t count, bool plain, auto& deliver) {
    accepted_.clear();
    journal_batch_.clear();
    for (std::uint32_t k = 0; k < count; ++k) {
      std::size_t i = todo_[begin + k];
      auto status = plain ? detail::kOk : r.get<std::uint8_t>();
      if (status == detail::kNotRun) {
        if (!done_[i]) todo_.push_back(i);  // its thread was lost: hand it out again
        continue;
      }
      const char* start = r.position();
      Outcome<Result> o = plain ? plain_result(r) : decode(status, r);
      if (done_[i]) {
        ++stats_.duplicates;
        continue;
      }
      accept(i);
      ++stats_.tasks_run;
      stats_.timed_out += status == detail::kTimedOut;
      if (!journal_.is_open()) {
        deliver(i, std::move(o));
        continue;
      }
      Journal::encode(journal_batch_, call_, i, hashes_[i], status == detail::kOk ? 0 : 1, start,
                      static_cast<std::size_t>(r.position() - start));
      accepted_.emplace_back(i, std::move(o));
    }
    if (journal_batch_.empty()) return;
    journal_.write(journal_batch_);  // on disk before anyone sees them
    for (auto& [i, o] : accepted_) deliver(i, std::move(o));
  }

  /// kStop to every worker, then drain what they still send until each says kStopped.
  void stop_workers() {
    for (int w = 1; w < size_; ++w) MPI_Send(nullptr, 0, MPI_BYTE, w, detail::kStop, comm_);
    for (int stopped = 0; stopped < size_ - 1;) {
      MPI_Message msg;
      MPI_Status status;
      int flag = 0;
      MPI_Improbe(MPI_ANY_SOURCE, MPI_ANY_TAG, comm_, &flag, &msg, &status);
      if (!flag) {
        sending();
        continue;
      }
      detail::receive(msg, status, results_in_);
      stopped += status.MPI_TAG == detail::kStopped;
    }
    batches_.clear();
  }

  detail::TaskFunction<Task, Result> fn_;
  FarmOptions options_;
  ProgressReporter reporter_;
  MPI_Comm comm_ = MPI_COMM_NULL;
  int rank_ = 0, size_ = 1;
  int exceptions_ = std::uncaught_exceptions();
  Journal journal_;
  FarmStats stats_;
  std::unique_ptr<detail::WorkerSide<Task, Result>> worker_;   ///< on a worker rank
  std::unique_ptr<detail::TaskRunner<Task, Result>> local_;    ///< with one rank
  std::vector<detail::RankLayout> layouts_;                     ///< every rank's, from the handshake

  // the current call (master)
  std::uint32_t call_ = kNoCall, next_call_ = 0;
  std::span<const Task> tasks_;
  FarmControl<Task> control_;       ///< tasks added by a run() callback, and its stop
  detail::TodoList todo_;           ///< task indices to run, in hand-out order (not-run ones again)
  std::size_t cursor_ = 0;          ///< todo_[cursor_..] not handed out yet
  std::vector<char> done_;
  std::size_t done_count_ = 0;
  std::vector<std::uint64_t> hashes_;  ///< task fingerprints, with a journal

  // batches (master)
  std::vector<int> workers_;             ///< ranks that run tasks (0 alone with one rank)
  std::vector<std::size_t> threads_;     ///< task threads left per rank
  std::uint64_t next_batch_ = 0;
  detail::Batches batches_;              ///< out on the workers
  std::vector<char> results_in_, journal_batch_;
  std::vector<std::pair<std::size_t, Outcome<Result>>> accepted_;
  double measured_seconds_ = 0;
  std::size_t measured_tasks_ = 0;
  double last_batch_seconds_ = 1.0;  ///< compute time of the last results message
};

}  // namespace beowulf
