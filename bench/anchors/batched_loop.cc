// An anchor of bench/taskfarm: the master-worker loop written by hand with the farm's
// batching, so that comparing the two measures what the farm costs beyond batching.
// Guided chunks (a share of what remains, at most 32768), three batches in flight per
// worker, one message per batch and one per batch of results; the worker computes on
// its main thread.
//
//   batched_loop empty N        tasks per second of tasks that return their input (best of 3 calls)
//   batched_loop work N ITERS   seconds for N tasks of ITERS iterations of work (work.h)
//   batched_loop big N KIB      MB/s of N tasks whose results are KIB KiB each
#include <mpi.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "work.h"

namespace {

enum { kWork = 1, kStop = 2 };
constexpr int kInFlight = 3;
constexpr std::uint32_t kMaxChunk = 1 << 15;
std::uint32_t iterations = 0;  // 0: empty tasks
std::size_t result_bytes = 0;  // 0: a task's result is its uint32

/// A batch's results: each task's uint32, or result_bytes bytes per task.
void send_results(std::vector<std::uint32_t>& tasks, std::vector<char>& big) {
  if (result_bytes == 0) {
    MPI_Send(tasks.data(), static_cast<int>(tasks.size()), MPI_UINT32_T, 0, kWork, MPI_COMM_WORLD);
    return;
  }
  big.resize(tasks.size() * result_bytes);
  for (std::size_t k = 0; k < tasks.size(); ++k)
    std::memset(big.data() + k * result_bytes, static_cast<int>(tasks[k] & 0xff), result_bytes);
  MPI_Send(big.data(), static_cast<int>(big.size()), MPI_BYTE, 0, kWork, MPI_COMM_WORLD);
}

/// Receives one results message from `source`; returns how many tasks it answers.
std::uint32_t receive_results(int source, std::vector<std::uint32_t>& results, std::vector<char>& big,
                              std::uint64_t& sum) {
  MPI_Status status;
  MPI_Probe(source, kWork, MPI_COMM_WORLD, &status);
  int count = 0;
  if (result_bytes > 0) {
    MPI_Get_count(&status, MPI_BYTE, &count);
    big.resize(static_cast<std::size_t>(count));
    MPI_Recv(big.data(), count, MPI_BYTE, source, kWork, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    return static_cast<std::uint32_t>(big.size() / result_bytes);
  }
  MPI_Get_count(&status, MPI_UINT32_T, &count);
  results.resize(static_cast<std::size_t>(count));
  MPI_Recv(results.data(), count, MPI_UINT32_T, source, kWork, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
  for (auto r : results) sum += r;
  return static_cast<std::uint32_t>(count);
}

void worker() {
  std::vector<std::uint32_t> tasks;
  std::vector<char> big;
  for (;;) {
    MPI_Status status;
    MPI_Probe(0, MPI_ANY_TAG, MPI_COMM_WORLD, &status);
    int count = 0;
    MPI_Get_count(&status, MPI_UINT32_T, &count);
    tasks.resize(static_cast<std::size_t>(count));
    MPI_Recv(tasks.data(), count, MPI_UINT32_T, 0, status.MPI_TAG, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    if (status.MPI_TAG == kStop) return;
    for (auto& t : tasks) {
      if (iterations > 0 && bench::work(iterations) <= 0) t = 0;
    }
    send_results(tasks, big);
  }
}

/// Runs tasks 0..n-1 on the workers; returns the sum of the results.
std::uint64_t master(int size, std::uint32_t n) {
  std::uint32_t next = 0, done = 0;
  std::uint64_t sum = 0;
  int workers = size - 1;
  std::vector<std::vector<std::uint32_t>> sent(static_cast<std::size_t>(size) * kInFlight);
  std::vector<MPI_Request> requests(sent.size(), MPI_REQUEST_NULL);
  std::vector<int> slot_of_worker(static_cast<std::size_t>(size), 0);
  auto send = [&](int w) {
    std::uint32_t remaining = n - next;
    std::uint32_t chunk = std::min(kMaxChunk, (remaining + workers * kInFlight - 1) / (workers * kInFlight));
    std::size_t slot = static_cast<std::size_t>(w) * kInFlight + slot_of_worker[w]++ % kInFlight;
    MPI_Wait(&requests[slot], MPI_STATUS_IGNORE);
    sent[slot].resize(chunk);
    for (auto& t : sent[slot]) t = next++;
    MPI_Isend(sent[slot].data(), static_cast<int>(chunk), MPI_UINT32_T, w, kWork, MPI_COMM_WORLD, &requests[slot]);
  };
  for (int round = 0; round < kInFlight; ++round)
    for (int w = 1; w < size && next < n; ++w) send(w);
  std::vector<std::uint32_t> results;
  std::vector<char> big;
  while (done < n) {
    MPI_Status status;
    MPI_Probe(MPI_ANY_SOURCE, kWork, MPI_COMM_WORLD, &status);
    done += receive_results(status.MPI_SOURCE, results, big, sum);
    if (next < n) send(status.MPI_SOURCE);
  }
  MPI_Waitall(static_cast<int>(requests.size()), requests.data(), MPI_STATUSES_IGNORE);
  return sum;
}

}  // namespace

int main(int argc, char** argv) {
  MPI_Init(&argc, &argv);
  int rank = 0, size = 1;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  bool empty = argc > 1 && std::strcmp(argv[1], "empty") == 0;
  bool big = argc > 1 && std::strcmp(argv[1], "big") == 0;
  auto n = static_cast<std::uint32_t>(argc > 2 ? std::strtoul(argv[2], nullptr, 10) : 1000);
  auto third = static_cast<std::uint32_t>(argc > 3 ? std::strtoul(argv[3], nullptr, 10) : 0);
  if (big) result_bytes = std::size_t{third} * 1024;
  else iterations = third;
  if (rank != 0) {
    worker();
  } else {
    master(size, 1000 < n ? 1000 : n);  // warm-up
    // Empty tasks: the best of three calls, as the farm's side does.
    double seconds = 0;
    std::uint64_t sum = 0;
    for (int call = 0; call < (empty ? 3 : 1); ++call) {
      double start = MPI_Wtime();
      sum = master(size, n);
      double s = MPI_Wtime() - start;
      seconds = call == 0 ? s : std::min(seconds, s);
    }
    if (!big && sum != std::uint64_t{n} * (n - 1) / 2) std::fprintf(stderr, "batched_loop: wrong sum\n");
    if (big) std::printf("%.1f\n", static_cast<double>(n) * static_cast<double>(result_bytes) / 1e6 / seconds);
    else if (empty) std::printf("%.0f\n", n / seconds);
    else std::printf("%.6f\n", seconds);
    for (int w = 1; w < size; ++w) MPI_Send(nullptr, 0, MPI_UINT32_T, w, kStop, MPI_COMM_WORLD);
  }
  MPI_Finalize();
  return 0;
}
