#pragma once
// ElfArch: which Debian architecture a program is built for, from its ELF header, so that
// `beowulf run` refuses, before launching, a node of another architecture (an amd64
// program on an armhf board fails there with "Exec format error", one rank at a time).
// A script is not ELF and runs anywhere its interpreter does.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/inventory.h"
#include "core/result.h"

namespace beowulf::launch {

/// The Debian architecture ("amd64", "i386", "armhf", "armel", "arm64", "riscv64",
/// "ppc64el", "s390x") the ELF header at the start of `bytes` names; nullopt when `bytes`
/// is not ELF (a script) or names a machine beowulf does not know.
std::optional<std::string> elf_debian_arch(std::string_view bytes);

/// elf_debian_arch of the first bytes of the file at `path`; nullopt when unreadable.
std::optional<std::string> program_arch(const std::string& path);

/// Refuses the first node of `nodes` whose architecture is known and is not `arch`:
/// "worker002 (198.18.0.12): ring_c is built for amd64 but the node is armhf", with the
/// hint to build it for that architecture or leave the node out (-x worker002).
Status check_arch(const std::vector<Node>& nodes, std::string_view shown, const std::string& arch);

}  // namespace beowulf::launch
