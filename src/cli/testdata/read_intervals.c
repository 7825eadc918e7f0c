/* An interactive MPI program for `beowulf run`'s tests: rank 0 reads numbers of
   intervals from its standard input, one per line, and every rank helps to integrate
   4/(1+x^2) over [0,1] with that many; 0 or the end of input stops it. Built with
   either MPI's mpicc. */
#include <mpi.h>
#include <stdio.h>

int main(int argc, char** argv) {
  int rank, size;
  MPI_Init(&argc, &argv);
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  for (;;) {
    long intervals = 0;
    if (rank == 0) {
      printf("intervals (0 to stop): ");
      fflush(stdout);
      if (scanf("%ld", &intervals) != 1) {
        printf("\nno number read; stopping\n");
        intervals = 0;
      }
    }
    MPI_Bcast(&intervals, 1, MPI_LONG, 0, MPI_COMM_WORLD);
    if (intervals <= 0) break;
    double width = 1.0 / (double)intervals, part = 0.0, pi = 0.0;
    for (long i = rank; i < intervals; i += size) {
      double x = width * ((double)i + 0.5);
      part += 4.0 / (1.0 + x * x);
    }
    part *= width;
    MPI_Reduce(&part, &pi, 1, MPI_DOUBLE, MPI_SUM, 0, MPI_COMM_WORLD);
    if (rank == 0) printf("\n%ld intervals on %d ranks: pi is about %.10f\n", intervals, size, pi);
  }
  MPI_Finalize();
  return 0;
}
