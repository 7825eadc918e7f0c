#pragma once
// ElfNeeded: the shared libraries an ELF program names itself (its DT_NEEDED entries),
// read from the file. `ldd` says more (the libraries of those libraries too) but starts
// four processes: when the program names its MPI library itself, that answer is enough.

#include <string>
#include <vector>

namespace beowulf::launch {

/// The DT_NEEDED names of the ELF file at `path` ("libmpich.so.12", "libc.so.6"), in
/// order; empty when it is not ELF, names none (static) or cannot be read.
std::vector<std::string> elf_needed(const std::string& path);

}  // namespace beowulf::launch
