#pragma once
// RunFiles: which files a run needs on every node besides the program, as `beowulf run`
// decides it. An argument that names an existing regular file of the user's own (under
// the working directory or the home folder: a script, an input file) is one; anything
// else only when named with --sync (a folder: every file under it), like Open MPI's
// --preload-files and Slurm's sbcast. Paths are absolute: a file lands on every node at
// the path it has on the master.

#include <string>
#include <vector>

#include "core/result.h"

namespace beowulf::launch {

/// The arguments in `args` that name an existing regular file under `cwd` or `home`
/// (relative ones taken from `cwd`), as absolute paths, in order, each once. A path that
/// leads elsewhere (`/etc/hosts`, `../../etc/hosts`, a link to a file outside) is left out.
std::vector<std::string> files_named_in(const std::vector<std::string>& args, const std::string& cwd,
                                        const std::string& home);

/// The regular files of every `--sync` path (relative ones taken from `cwd`; a folder
/// brings every regular file under it), as absolute paths, sorted, each once. Fails (bad
/// input) on the first path that does not exist or cannot be read:
/// "--sync data/: no such file or folder".
Result<std::vector<std::string>> files_to_sync(const std::vector<std::string>& paths, const std::string& cwd);

/// `path` as the "sent" line shows it: relative to `cwd` when under it, else as it is.
std::string shown_path(const std::string& path, const std::string& cwd);

/// Whether `path` belongs to the system's packages (/usr, /bin, /sbin, /lib..., but not
/// /usr/local): such a program (python3) is each node's own and is never sent.
bool is_system_path(const std::string& path);

}  // namespace beowulf::launch
