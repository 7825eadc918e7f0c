#pragma once
// MpiInstall: which MPI implementation (MPICH's hydra or Open MPI) stands behind an
// `mpiexec`, an `mpicc` or a built program, so that `beowulf run` launches a program
// with the launcher of the library it was linked with, and refuses a mixed installation
// (python3-mpi4py, for one, switches `mpiexec` to Open MPI under a user's feet).

#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"

namespace beowulf::launch {

enum class MpiKind { mpich, openmpi };

struct MpiInstall {
  MpiKind kind = MpiKind::mpich;
  std::string version;  ///< "4.0.2", "4.1.4"
  std::string mpiexec;  ///< the launcher to run: "/usr/bin/mpiexec.mpich"
};

/// "MPICH" or "Open MPI", as users know them.
std::string_view display_name(MpiKind kind);

/// "mpich" or "openmpi", as in `--mpi` and the Debian file names (mpiexec.mpich).
std::string_view short_name(MpiKind kind);

/// `--mpi` text to a kind; refuses anything but "mpich" and "openmpi".
Result<MpiKind> parse_mpi_kind(std::string_view text);

/// The implementation and version from what `mpiexec --version` printed; nullopt when
/// it is neither hydra's "HYDRA build details" nor Open MPI's "(OpenRTE) X.Y.Z".
std::optional<MpiInstall> parse_mpiexec_version(std::string_view text);

/// The implementation an `mpicc -show` compile line links (-lmpich or Open MPI's -lmpi).
std::optional<MpiKind> parse_mpicc_show(std::string_view text);

/// The implementation a program links, from `ldd PROGRAM` (libmpich.so or libmpi.so);
/// nullopt for a program that links no MPI.
std::optional<MpiKind> parse_ldd(std::string_view text);

/// The MPI to launch with. `wanted` (from --mpi) names it explicitly as
/// /usr/bin/mpiexec.KIND; without it, the `mpiexec` on PATH, which must belong to the
/// same implementation as the `mpicc` on PATH. Fails, with the fix, when they differ or
/// when no MPI is installed.
Result<MpiInstall> detect_mpi(std::optional<MpiKind> wanted);

/// Checks that `program` links the implementation `mpi` launches (a program built with
/// MPICH's mpicc cannot be started by Open MPI's mpiexec, and vice versa).
Status check_program_links(const std::string& program, const MpiInstall& mpi);

}  // namespace beowulf::launch
