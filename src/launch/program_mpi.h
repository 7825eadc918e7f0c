#pragma once
// ProgramMpi: the MPI a program needs, found without starting MPI: `ldd` of the program
// (libmpich.so: MPICH, libmpi.so: Open MPI), or, for a Python interpreter, of mpi4py's
// extension module (Debian's python3-mpi4py is built on Open MPI). `beowulf run` launches
// with that MPI's own mpiexec and checks, in the round trip that checks the files, that
// every node has what that launch needs there.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "launch/mpi_install.h"

namespace beowulf::launch {

struct ProgramMpi {
  MpiKind kind = MpiKind::mpich;
  std::string reason;        ///< why: "ring_c is built with it", "mpi4py is built with it"
  std::string mpi4py_module;  ///< for a Python program: mpi4py's extension module, needed on every node
};

/// Whether `program` (a path) is a Python interpreter: python3, python3.11, python.
bool is_python(const std::string& program);

/// The argv that prints where `python`'s mpi4py extension module is (empty output when
/// mpi4py is not installed), importing only mpi4py's package, not MPI.
std::vector<std::string> mpi4py_module_argv(const std::string& python);

/// The MPI `program` (an absolute path) needs, `shown` naming it in the reason; nullopt
/// when it links none (a plain program, or Python without mpi4py).
std::optional<ProgramMpi> program_mpi(const std::string& program, std::string_view shown);

/// `kind`'s launcher on this machine (/usr/bin/mpiexec.mpich, .openmpi), found without
/// running it. Fails, naming the package to install, when it is missing.
Result<MpiInstall> installed_mpi(MpiKind kind);

/// The file every node needs for a launch by `kind` (hydra's proxy, Open MPI's daemon).
std::string node_daemon(MpiKind kind);

/// The Debian package that brings node_daemon(kind): "mpich", "openmpi-bin".
std::string_view package_of(MpiKind kind);

}  // namespace beowulf::launch
