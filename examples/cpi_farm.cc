// cpi_farm: cpi as a master-worker program. The n intervals of the midpoint rule are cut
// into ranges; each range is a task the farm hands to a worker; the master adds the
// partial sums in range order, so the result is the same for any number of ranks.
//
//   mpiexec -n 4 beowulf-cpi-farm            n = 10000 intervals
//   mpiexec -n 4 beowulf-cpi-farm -n 100000  more intervals, a smaller error
//
// Prints the lines of the classic cpi:
//   Process 0 of 4 is on node1
//   pi is approximately 3.1415926544231239, Error is 0.0000000008333307
//   wall clock time = 0.001234
#include <beowulf/taskfarm.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

namespace {

constexpr double kPi25 = 3.141592653589793238462643;
constexpr int kIntervalsPerTask = 1000;

/// Intervals [first, last] (1-based) of a rule with n intervals in all.
struct Range {
  int first, last, n;
};

double f(double x) { return 4.0 / (1.0 + x * x); }

double partial_sum(const Range& r) {
  double h = 1.0 / r.n, sum = 0.0;
  for (int i = r.first; i <= r.last; ++i) sum += f(h * (i - 0.5));
  return h * sum;
}

/// Intervals requested with `-n N`, 10000 by default; 0 when the argument is bad.
int intervals(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "-n") == 0 && i + 1 < argc) return std::atoi(argv[i + 1]);
  }
  return 10000;
}

}  // namespace

int main(int argc, char** argv) {
  beowulf::mpi::Session mpi(argc, argv);
  char name[MPI_MAX_PROCESSOR_NAME];
  int name_length = 0;
  MPI_Get_processor_name(name, &name_length);
  std::printf("Process %d of %d is on %s\n", mpi.rank(), mpi.size(), name);
  std::fflush(stdout);

  int n = intervals(argc, argv);
  if (n <= 0) {
    if (mpi.is_master()) std::fprintf(stderr, "beowulf-cpi-farm: -n takes a positive number of intervals\n");
    return 2;  // every rank sees the same argv: all leave before the farm starts
  }
  beowulf::TaskFarm<Range, double> farm(mpi, partial_sum);
  if (!farm.is_master()) return 0;

  double start = MPI_Wtime();
  std::vector<Range> ranges;
  for (int first = 1; first <= n; first += kIntervalsPerTask)
    ranges.push_back({first, std::min(n, first + kIntervalsPerTask - 1), n});
  double pi = 0.0;
  for (auto& part : farm.map(ranges)) pi += part.value();
  std::printf("pi is approximately %.16f, Error is %.16f\n", pi, std::fabs(pi - kPi25));
  std::printf("wall clock time = %f\n", MPI_Wtime() - start);
  return 0;
}
