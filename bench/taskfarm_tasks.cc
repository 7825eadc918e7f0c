// The farm side of bench/taskfarm: times farm.reduce over N tasks and prints one number.
//
//   taskfarm_tasks empty N         tasks per second, tasks that return their input (best of 3 calls)
//   taskfarm_tasks work N ITERS    seconds for N tasks of ITERS iterations of work
//   taskfarm_tasks serial N ITERS  the same N tasks in this one process, no MPI
//   taskfarm_tasks big N KIB       MB/s of N tasks whose results are KIB KiB each
//   taskfarm_tasks calibrate       iterations of work in 1 ms on this machine
// A last `--threads T` sets the farm's threads_per_worker (default: the rank's CPUs).
#include <beowulf/taskfarm.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <numeric>
#include <vector>

#include "anchors/work.h"

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

std::uint32_t iterations = 0;  // of work per task; 0: empty tasks

std::uint32_t run_task(const std::uint32_t& x) {
  if (iterations > 0 && bench::work(iterations) <= 0) return 0;
  return x;
}

/// Tasks with large results: MB/s of results that reach the master.
int big_results(beowulf::mpi::Session& mpi, const std::vector<std::uint32_t>& tasks, std::size_t kib,
                std::size_t threads) {
  std::size_t bytes = kib * 1024;
  auto fill = [bytes](const std::uint32_t& x) { return std::vector<char>(bytes, static_cast<char>(x & 0xff)); };
  beowulf::TaskFarm<std::uint32_t, std::vector<char>> farm(mpi, fill,
                                                           {.threads_per_worker = threads, .progress_line = false});
  if (!farm.is_master()) return 0;
  auto add = [](std::uint64_t sum, beowulf::Outcome<std::vector<char>>&& r) { return sum + r.value().size(); };
  farm.reduce(tasks, std::uint64_t{0}, add);  // warm-up, as the anchor does
  auto start = Clock::now();
  std::uint64_t total = farm.reduce(tasks, std::uint64_t{0}, add);
  double seconds = seconds_since(start);
  if (total != tasks.size() * bytes) {
    std::fprintf(stderr, "taskfarm_tasks: %llu bytes of results\n", static_cast<unsigned long long>(total));
    return 1;
  }
  std::printf("%.1f\n", static_cast<double>(total) / 1e6 / seconds);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::size_t threads = 0;
  if (argc > 2 && std::strcmp(argv[argc - 2], "--threads") == 0) {
    threads = std::strtoull(argv[argc - 1], nullptr, 10);
    argc -= 2;
  }
  std::string mode = argc > 1 ? argv[1] : "";
  if (mode == "calibrate") {
    std::printf("%u\n", bench::iterations_per_ms());
    return 0;
  }
  if (argc < 3 || (mode != "empty" && mode != "work" && mode != "serial" && mode != "big")) {
    std::fprintf(stderr, "usage: taskfarm_tasks empty N | work N ITERS | serial N ITERS | big N KIB | calibrate\n");
    return 2;
  }
  std::size_t n = std::strtoull(argv[2], nullptr, 10);
  iterations = static_cast<std::uint32_t>(argc > 3 ? std::strtoul(argv[3], nullptr, 10) : 0);
  std::vector<std::uint32_t> tasks(n);
  std::iota(tasks.begin(), tasks.end(), 0u);

  if (mode == "serial") {
    auto start = Clock::now();
    std::uint64_t sum = 0;
    for (auto t : tasks) sum += run_task(t) + 1;
    std::printf("%.6f\n", seconds_since(start) + (sum == 0 ? 1e-9 : 0));
    return 0;
  }
  beowulf::mpi::Session mpi(argc, argv);
  if (mode == "big") return big_results(mpi, tasks, iterations, threads);
  // A lambda, as users write it and as the anchor's worker calls its work: the farm
  // inlines it into its loop over a batch. A pointer to run_task would cost an indirect
  // call per task (with a pointer, the call and run_task were 9% of the worker's samples).
  auto task = [](const std::uint32_t& x) { return run_task(x); };
  beowulf::TaskFarm<std::uint32_t, std::uint32_t> farm(mpi, task,
                                                       {.threads_per_worker = threads, .progress_line = false});
  if (!farm.is_master()) return 0;
  std::vector<std::uint32_t> warm(std::min<std::size_t>(n, iterations ? 20 : 1000));
  farm.map(warm);  // connections made, pages touched
  // reduce, as the anchors do: they add the results up, and keep none of them.
  auto add = [](std::uint64_t sum, beowulf::Outcome<std::uint32_t>&& r) { return sum + r.value(); };
  // Empty tasks take a few milliseconds: the best of three calls, as the anchor does, so
  // that one preemption by another program on the machine does not decide the figure.
  double seconds = 0;
  std::uint64_t sum = 0;
  for (int call = 0; call < (mode == "empty" ? 3 : 1); ++call) {
    auto start = Clock::now();
    sum = farm.reduce(tasks, std::uint64_t{0}, add);
    double s = seconds_since(start);
    seconds = call == 0 ? s : std::min(seconds, s);
  }
  if (sum != std::uint64_t{n} * (n - 1) / 2) {
    std::fprintf(stderr, "taskfarm_tasks: wrong sum %llu\n", static_cast<unsigned long long>(sum));
    return 1;
  }
  if (mode == "empty") std::printf("%.0f\n", static_cast<double>(n) / seconds);
  else std::printf("%.6f\n", seconds);
  return 0;
}
