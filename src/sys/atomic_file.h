#pragma once
// Files written whole or not at all: a crash, a full disk or a kill leaves the old file
// or the new one, never half of one (docs/architecture.md, "State on disk").

#include <sys/types.h>

#include <string>
#include <string_view>

#include "core/result.h"

namespace beowulf::sys {

/// Writes `content` to `path` through a temporary file in the same folder: write, fsync,
/// rename over `path`, fsync the folder. The file gets exactly `mode` (the umask does not
/// apply) and belongs to the caller; a symbolic link at `path` is replaced, not followed.
/// Fails with "write PATH: REASON", leaving `path` as it was and no temporary file.
Status write_file_atomically(const std::string& path, std::string_view content, mode_t mode = 0644);

/// The whole content of `path`. Fails with "read PATH: REASON".
Result<std::string> read_file(const std::string& path);

/// True when something exists at `path`.
bool file_exists(const std::string& path);

/// Makes the folder `path` with `mode` (and its missing parents, with `mode` too);
/// an existing folder is left as it is. Fails with "make folder PATH: REASON".
Status make_directory(const std::string& path, mode_t mode = 0700);

}  // namespace beowulf::sys
