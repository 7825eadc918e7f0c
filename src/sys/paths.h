#pragma once
// Where beowulf keeps its state: ~/.beowulf/ (BEOWULF_HOME overrides it, for tests).

#include <string>
#include <string_view>

#include "core/machine_file.h"

namespace beowulf::sys {

/// The user's home: $HOME when set and not empty, else the password database's entry.
std::string home_directory();

/// beowulf's folder: $BEOWULF_HOME when set and not empty, else ~/.beowulf.
std::string beowulf_home();

/// The inventory: beowulf_home()/cluster.toml.
std::string inventory_path();

/// Where `beowulf add` keeps the generated machine files: beowulf_home()/machinefile for
/// MPICH (`mpiexec.mpich -f`), beowulf_home()/hostfile for Open MPI (`--hostfile`).
std::string machine_file_path(MachineFileFormat format);

/// `path` as messages show it: the home folder written as "~" ("~/.beowulf/cluster.toml").
std::string display_path(std::string_view path);

}  // namespace beowulf::sys
