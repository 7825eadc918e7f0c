// taskfarm-probe: a farm program for the tests. Task i gives i*i + 1 after sleeping
// --ms milliseconds; prints what the master saw, so a test can assert it.
//
//   taskfarm-probe [--tasks N] [--ms M] [--journal FILE] [--each] [--fail-every K]
//                  [--pids DIR] [--straggler I --marker FILE] [--progress] [--master-fails]
//
//   --each        use for_each_result and print "task I -> V" as results come
//   --fail-every  tasks whose index is a multiple of K throw "task I failed on purpose"
//   --pids        every rank writes its pid to DIR/rank-R (for kill -9 tests)
//   --straggler   the first run of task I (the one that creates FILE) sleeps 2 s
//   --progress    print "progress D/T" for each progress callback
//   --master-fails  the master throws after 5 results (with --each), caught in main
//   --threads T   task threads per rank       --timeout S   per-task timeout in seconds
//   --hang I      task I never returns (with --marker FILE: only its first run)
//   --slow I      task I sleeps 3 s on every run
//   --key K       the journal's key           --as-double   the result is i * 100.0 (a double)
//   --two-farms   a second farm (i -> i + 1) alive at once; prints its sum as "sum2 = S"
//   --fake-layout-rank R   rank R claims another layout of the types (handshake test)
//   --max-message B  messages carry at most B bytes; --result-bytes N  results are N-byte strings
//   --dynamic     run() from task 0 alone; the result of task i submits task i + 1 (while < N)
//   --stop-after K  with --dynamic or alone: run() stops after K results; prints "delivered K"
//   --reduce      reduce() adds the results; prints "reduced = S"
//   --context C   tasks give i*i + 1 + C, C sent once as the farm's context; every rank's
//                 worker_setup must have run before its tasks (they throw otherwise)
// The last lines are "sum = S", "errors = E" and the farm's counters.
#include <fcntl.h>
#include <unistd.h>

#include <beowulf/taskfarm.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace {

struct Args {
  std::uint64_t tasks = 100;
  int ms = 0;
  std::string journal, pids, marker;
  bool each = false, progress = false, master_fails = false;
  std::uint64_t fail_every = 0;
  std::int64_t straggler = -1, hang = -1, slow = -1;
  std::size_t threads = 0, max_message = 0, result_bytes = 0;
  double timeout = 0;
  std::string key;
  bool as_double = false, two_farms = false, dynamic = false, reduce = false;
  std::uint64_t stop_after = 0;
  std::int64_t context = -1;
  int fake_layout_rank = -1;
};

Args parse(int argc, char** argv) {
  Args a;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    const char* next = i + 1 < argc ? argv[i + 1] : "";
    if (arg == "--each") { a.each = true; continue; }
    if (arg == "--progress") { a.progress = true; continue; }
    if (arg == "--master-fails") { a.master_fails = true; continue; }
    if (arg == "--as-double") { a.as_double = true; continue; }
    if (arg == "--two-farms") { a.two_farms = true; continue; }
    if (arg == "--dynamic") { a.dynamic = true; continue; }
    if (arg == "--reduce") { a.reduce = true; continue; }
    ++i;
    if (arg == "--tasks") a.tasks = std::strtoull(next, nullptr, 10);
    else if (arg == "--ms") a.ms = std::atoi(next);
    else if (arg == "--journal") a.journal = next;
    else if (arg == "--pids") a.pids = next;
    else if (arg == "--fail-every") a.fail_every = std::strtoull(next, nullptr, 10);
    else if (arg == "--straggler") a.straggler = std::atoll(next);
    else if (arg == "--marker") a.marker = next;
    else if (arg == "--stop-after") a.stop_after = std::strtoull(next, nullptr, 10);
    else if (arg == "--context") a.context = std::atoll(next);
    else if (arg == "--threads") a.threads = std::strtoull(next, nullptr, 10);
    else if (arg == "--timeout") a.timeout = std::atof(next);
    else if (arg == "--hang") a.hang = std::atoll(next);
    else if (arg == "--slow") a.slow = std::atoll(next);
    else if (arg == "--key") a.key = next;
    else if (arg == "--fake-layout-rank") a.fake_layout_rank = std::atoi(next);
    else if (arg == "--max-message") a.max_message = std::strtoull(next, nullptr, 10);
    else if (arg == "--result-bytes") a.result_bytes = std::strtoull(next, nullptr, 10);
    else { std::fprintf(stderr, "taskfarm-probe: unknown option %s\n", arg.c_str()); std::exit(2); }
  }
  return a;
}

}  // namespace

/// Whether this is the first run of a task (the one that creates the marker file).
bool first_run(const Args& args) {
  int fd = ::open(args.marker.c_str(), O_CREAT | O_EXCL | O_WRONLY, 0644);
  if (fd < 0) return false;
  ::close(fd);
  return true;
}

beowulf::FarmOptions farm_options(const beowulf::mpi::Session& mpi, const Args& args) {
  beowulf::FarmOptions options{.journal = args.journal, .journal_key = args.key,
                               .threads_per_worker = args.threads, .task_timeout_seconds = args.timeout};
  if (args.max_message) options.max_message_bytes = args.max_message;
  if (mpi.rank() == args.fake_layout_rank) options.layout_salt = 1;
  return options;
}

/// --as-double: the same tasks with another function and result type.
int run_as_double(beowulf::mpi::Session& mpi, const Args& args) {
  beowulf::TaskFarm<std::uint64_t, double> farm(
      mpi, [](const std::uint64_t& i) { return static_cast<double>(i) * 100; }, farm_options(mpi, args));
  if (!farm.is_master()) return 0;
  std::vector<std::uint64_t> tasks(args.tasks);
  for (std::uint64_t i = 0; i < args.tasks; ++i) tasks[i] = i;
  double sum = 0;
  for (auto& r : farm.map(tasks)) sum += r.value();
  std::printf("sum = %.1f\n", sum);
  return 0;
}

/// --result-bytes: results are strings of N bytes ("x" repeated), checked on the master.
int run_large_results(beowulf::mpi::Session& mpi, const Args& args) {
  beowulf::TaskFarm<std::uint64_t, std::string> farm(
      mpi, [&](const std::uint64_t& i) { return std::string(args.result_bytes + i % 2, 'x'); },
      farm_options(mpi, args));
  if (!farm.is_master()) return 0;
  std::vector<std::uint64_t> tasks(args.tasks);
  for (std::uint64_t i = 0; i < args.tasks; ++i) tasks[i] = i;
  std::size_t good = 0;
  auto results = farm.map(tasks);
  for (std::uint64_t i = 0; i < results.size(); ++i) {
    if (results[i].ok() && results[i]->size() == args.result_bytes + i % 2) ++good;
    else if (!results[i].ok()) std::printf("task %llu failed: %s\n", static_cast<unsigned long long>(i),
                                           results[i].error().c_str());
  }
  std::printf("good results = %zu of %zu\n", good, results.size());
  return 0;
}

/// --dynamic / --stop-after: run() with a callback that submits and stops.
int run_dynamic(beowulf::TaskFarm<std::uint64_t, std::uint64_t>& farm, const Args& args) {
  std::vector<std::uint64_t> first;
  if (args.dynamic) first.push_back(0);
  else for (std::uint64_t i = 0; i < args.tasks; ++i) first.push_back(i);
  std::uint64_t sum = 0, delivered = 0;
  farm.run(first, [&](const std::uint64_t& i, beowulf::Outcome<std::uint64_t>&& r,
                      beowulf::FarmControl<std::uint64_t>& control) {
    sum += r.value();
    ++delivered;
    if (args.dynamic && i + 1 < args.tasks) control.submit(i + 1);
    if (args.stop_after && delivered == args.stop_after) control.stop();
  });
  std::printf("delivered %llu\n", static_cast<unsigned long long>(delivered));
  if (!args.stop_after) std::printf("sum = %llu\n", static_cast<unsigned long long>(sum));
  return 0;
}

/// --context: the offset goes to every rank once; worker_setup marks each rank ready.
int run_with_context(beowulf::mpi::Session& mpi, const Args& args) {
  static bool ready = false;
  beowulf::FarmOptions options = farm_options(mpi, args);
  options.worker_setup = [] { ready = true; };
  std::vector<std::uint64_t> context;
  if (mpi.is_master()) context.push_back(static_cast<std::uint64_t>(args.context));
  beowulf::TaskFarm<std::uint64_t, std::uint64_t> farm(
      mpi, context,
      [](const std::vector<std::uint64_t>& c, const std::uint64_t& i) -> std::uint64_t {
        if (!ready) throw std::runtime_error("worker_setup did not run");
        return i * i + 1 + c.at(0);
      },
      options);
  if (!farm.is_master()) return 0;
  std::vector<std::uint64_t> tasks(args.tasks);
  for (std::uint64_t i = 0; i < args.tasks; ++i) tasks[i] = i;
  std::uint64_t sum = 0, errors = 0;
  for (auto& r : farm.map(tasks)) {
    if (r.ok()) sum += *r;
    else ++errors;
  }
  std::printf("sum = %llu\nerrors = %llu\n", static_cast<unsigned long long>(sum),
              static_cast<unsigned long long>(errors));
  return 0;
}

int run(beowulf::mpi::Session& mpi, const Args& args) {
  if (args.as_double) return run_as_double(mpi, args);
  if (args.context >= 0) return run_with_context(mpi, args);
  if (args.result_bytes) return run_large_results(mpi, args);
  auto task = [&](const std::uint64_t& i) -> std::uint64_t {
    if (static_cast<std::int64_t>(i) == args.straggler && first_run(args))
      std::this_thread::sleep_for(std::chrono::seconds(2));
    if (static_cast<std::int64_t>(i) == args.slow) std::this_thread::sleep_for(std::chrono::seconds(3));
    if (static_cast<std::int64_t>(i) == args.hang && (args.marker.empty() || first_run(args)))
      for (;;) std::this_thread::sleep_for(std::chrono::hours(1));
    if (args.ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds(args.ms));
    if (args.fail_every && i % args.fail_every == 0)
      throw std::runtime_error("task " + std::to_string(i) + " failed on purpose");
    return i * i + 1;
  };
  beowulf::FarmOptions options = farm_options(mpi, args);
  if (args.progress) {
    options.progress = [](const beowulf::Progress& p) { std::printf("progress %zu/%zu\n", p.done, p.total); };
  }
  beowulf::TaskFarm<std::uint64_t, std::uint64_t> farm(mpi, task, options);
  std::optional<beowulf::TaskFarm<std::uint64_t, std::uint64_t>> second;
  if (args.two_farms) second.emplace(mpi, [](const std::uint64_t& i) { return i + 1; });
  if (!farm.is_master()) return 0;
  if (args.dynamic || args.stop_after) return run_dynamic(farm, args);

  std::vector<std::uint64_t> tasks(args.tasks);
  for (std::uint64_t i = 0; i < args.tasks; ++i) tasks[i] = i;
  std::uint64_t sum = 0, errors = 0, taken = 0;
  auto take = [&](std::uint64_t i, beowulf::Outcome<std::uint64_t>&& r) {
    if (args.each) {
      if (r.ok()) std::printf("task %llu -> %llu\n", static_cast<unsigned long long>(i),
                              static_cast<unsigned long long>(*r));
      else std::printf("task %llu failed: %s\n", static_cast<unsigned long long>(i), r.error().c_str());
    }
    if (r.ok()) sum += *r;
    else ++errors;
    if (args.master_fails && ++taken >= 5) throw std::runtime_error("the master failed on purpose");
  };
  if (args.reduce) {
    auto add = [](std::uint64_t acc, beowulf::Outcome<std::uint64_t>&& r) { return acc + r.value(); };
    std::printf("reduced = %llu\n", static_cast<unsigned long long>(farm.reduce(tasks, std::uint64_t{0}, add)));
  } else if (args.each) {
    farm.for_each_result(tasks, [&](const std::uint64_t& t, beowulf::Outcome<std::uint64_t>&& r) {
      take(t, std::move(r));
    });
  } else {
    auto results = farm.map(tasks);
    for (std::uint64_t i = 0; i < results.size(); ++i) take(i, std::move(results[i]));
  }
  if (second) {
    std::uint64_t sum2 = 0;
    for (auto& r : second->map(tasks)) sum2 += r.value();
    std::printf("sum2 = %llu\n", static_cast<unsigned long long>(sum2));
  }
  const auto& s = farm.stats();
  std::printf("sum = %llu\nerrors = %llu\n", static_cast<unsigned long long>(sum),
              static_cast<unsigned long long>(errors));
  std::printf("run %zu, from journal %zu, reissued %zu, duplicates %zu\n", s.tasks_run,
              s.from_journal, s.reissued, s.duplicates);
  if (args.timeout > 0) std::printf("timed out %zu, lost threads %zu\n", s.timed_out, s.lost_threads);
  return 0;
}

int main(int argc, char** argv) {
  beowulf::mpi::Session mpi(argc, argv);
  Args args = parse(argc, argv);
  if (!args.pids.empty()) {
    std::ofstream(args.pids + "/rank-" + std::to_string(mpi.rank())) << getpid() << "\n";
  }
  try {
    return run(mpi, args);
  } catch (const std::exception& e) {  // too late: the farm aborted the job on its way out
    std::fprintf(stderr, "taskfarm-probe: %s\n", e.what());
    return 1;
  }
}
