/* For `beowulf run`'s tests: every rank meets the others, then rank R (argv[1]) exits
   with status S (argv[2]) and the rest with 0, as a program that fails on one node. */
#include <mpi.h>
#include <stdlib.h>

int main(int argc, char** argv) {
  int rank;
  MPI_Init(&argc, &argv);
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Barrier(MPI_COMM_WORLD);
  MPI_Finalize();
  return argc > 2 && rank == atoi(argv[1]) ? atoi(argv[2]) : 0;
}
