// The anchor of bench/taskfarm: the master-worker loop a student writes by hand, one task
// in flight per worker, one MPI_Send per task and per result.
//
//   plain_loop empty N        tasks per second of tasks that return their input
//   plain_loop work N ITERS   seconds for N tasks of ITERS iterations of work (work.h)
#include <mpi.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "work.h"

namespace {

enum { kWork = 1, kStop = 2 };
std::uint32_t iterations = 0;  // 0: empty tasks

std::uint32_t run_task(std::uint32_t x) {
  if (iterations > 0 && bench::work(iterations) <= 0) return 0;
  return x;
}

void worker() {
  for (;;) {
    std::uint32_t task = 0;
    MPI_Status status;
    MPI_Recv(&task, 1, MPI_UINT32_T, 0, MPI_ANY_TAG, MPI_COMM_WORLD, &status);
    if (status.MPI_TAG == kStop) return;
    std::uint32_t result = run_task(task);
    MPI_Send(&result, 1, MPI_UINT32_T, 0, kWork, MPI_COMM_WORLD);
  }
}

/// Runs tasks 0..n-1 on the workers; returns the sum of the results.
std::uint64_t master(int size, std::uint32_t n) {
  std::uint32_t next = 0, done = 0;
  std::uint64_t sum = 0;
  for (int w = 1; w < size && next < n; ++w, ++next) MPI_Send(&next, 1, MPI_UINT32_T, w, kWork, MPI_COMM_WORLD);
  while (done < n) {
    std::uint32_t result = 0;
    MPI_Status status;
    MPI_Recv(&result, 1, MPI_UINT32_T, MPI_ANY_SOURCE, kWork, MPI_COMM_WORLD, &status);
    sum += result;
    ++done;
    if (next < n) {
      MPI_Send(&next, 1, MPI_UINT32_T, status.MPI_SOURCE, kWork, MPI_COMM_WORLD);
      ++next;
    }
  }
  return sum;
}

}  // namespace

int main(int argc, char** argv) {
  MPI_Init(&argc, &argv);
  int rank = 0, size = 1;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  bool empty = argc > 1 && std::strcmp(argv[1], "empty") == 0;
  auto n = static_cast<std::uint32_t>(argc > 2 ? std::strtoul(argv[2], nullptr, 10) : 1000);
  iterations = static_cast<std::uint32_t>(argc > 3 ? std::strtoul(argv[3], nullptr, 10) : 0);
  if (rank != 0) {
    worker();
  } else {
    master(size, 1000 < n ? 1000 : n);  // warm-up
    double start = MPI_Wtime();
    std::uint64_t sum = master(size, n);
    double seconds = MPI_Wtime() - start;
    if (sum != std::uint64_t{n} * (n - 1) / 2) std::fprintf(stderr, "plain_loop: wrong sum\n");
    if (empty) std::printf("%.0f\n", n / seconds);
    else std::printf("%.6f\n", seconds);
    for (int w = 1; w < size; ++w) MPI_Send(nullptr, 0, MPI_UINT32_T, w, kStop, MPI_COMM_WORLD);
  }
  MPI_Finalize();
  return 0;
}
