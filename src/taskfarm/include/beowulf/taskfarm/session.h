#pragma once
// beowulf::mpi::Session: MPI_Init on construction, MPI_Finalize on destruction. When the
// session ends because an exception is leaving main, the whole job is aborted
// (MPI_Abort) instead: the other ranks may be waiting for this one and must not hang.
// MPI is initialised for threads that do not call MPI (MPI_THREAD_FUNNELED): the farm's
// task threads compute, the main thread alone sends and receives.

#include <mpi.h>

#include <exception>

namespace beowulf::mpi {

class Session {
 public:
  /// Initializes MPI (unless the program already did; then it is not finalized here).
  Session(int& argc, char**& argv) {
    int initialized = 0;
    MPI_Initialized(&initialized);
    int provided = 0;
    if (!initialized) MPI_Init_thread(&argc, &argv, MPI_THREAD_FUNNELED, &provided);
    owns_ = !initialized;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
    MPI_Comm_size(MPI_COMM_WORLD, &size_);
  }
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;
  ~Session() {
    if (!owns_) return;
    if (std::uncaught_exceptions() > exceptions_) MPI_Abort(MPI_COMM_WORLD, 1);
    int finalized = 0;
    MPI_Finalized(&finalized);
    if (!finalized) MPI_Finalize();
  }

  int rank() const { return rank_; }
  int size() const { return size_; }
  bool is_master() const { return rank_ == 0; }
  MPI_Comm comm() const { return MPI_COMM_WORLD; }

  /// Ends every rank of the job with `code`.
  [[noreturn]] void abort(int code) const {
    MPI_Abort(MPI_COMM_WORLD, code);
    std::terminate();  // MPI_Abort does not return; this tells the compiler so
  }

 private:
  int rank_ = 0, size_ = 1;
  bool owns_ = false;
  int exceptions_ = std::uncaught_exceptions();
};

}  // namespace beowulf::mpi
