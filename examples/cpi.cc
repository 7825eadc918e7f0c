// cpi: the classic MPICH example, in C++. Computes pi by the midpoint rule on
// 4/(1+x^2) over [0,1], the n intervals dealt out to the ranks cyclically.
//
//   mpiexec -n 4 beowulf-cpi            n = 10000 intervals
//   mpiexec -n 4 beowulf-cpi -n 100000  more intervals, a smaller error
//
// Prints the lines users of the classic recipe know:
//   Process 0 of 2 is on linaro-nano
//   pi is approximately 3.1415926544231318, Error is 0.0000000008333387
#include <mpi.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace {

constexpr double kPi25 = 3.141592653589793238462643;

double f(double x) { return 4.0 / (1.0 + x * x); }

/// Intervals requested with `-n N`, 10000 by default; 0 when the argument is bad.
int intervals(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "-n") == 0 && i + 1 < argc) return std::atoi(argv[i + 1]);
  }
  return 10000;
}

}  // namespace

int main(int argc, char** argv) {
  MPI_Init(&argc, &argv);
  int size = 0, rank = 0, name_length = 0;
  char name[MPI_MAX_PROCESSOR_NAME];
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Get_processor_name(name, &name_length);
  std::printf("Process %d of %d is on %s\n", rank, size, name);
  std::fflush(stdout);

  int n = 0;
  double start = 0.0;
  if (rank == 0) {
    n = intervals(argc, argv);
    if (n <= 0) {
      std::fprintf(stderr, "beowulf-cpi: -n takes a positive number of intervals\n");
      MPI_Abort(MPI_COMM_WORLD, 2);
    }
    start = MPI_Wtime();
  }
  MPI_Bcast(&n, 1, MPI_INT, 0, MPI_COMM_WORLD);

  double h = 1.0 / n, sum = 0.0;
  for (int i = rank + 1; i <= n; i += size) sum += f(h * (i - 0.5));
  double mine = h * sum, pi = 0.0;
  MPI_Reduce(&mine, &pi, 1, MPI_DOUBLE, MPI_SUM, 0, MPI_COMM_WORLD);

  if (rank == 0) {
    std::printf("pi is approximately %.16f, Error is %.16f\n", pi, std::fabs(pi - kPi25));
    std::printf("wall clock time = %f\n", MPI_Wtime() - start);
    std::fflush(stdout);
  }
  MPI_Finalize();
  return 0;
}
