#include "sys/inventory_file.h"

#include <fmt/core.h>

#include "sys/atomic_file.h"
#include "sys/paths.h"

namespace beowulf::sys {

Result<Inventory> load_inventory(const std::string& path) {
  if (!file_exists(path))
    return Error{fmt::format("no cluster here: {} does not exist", display_path(path)), {},
                 "run 'beowulf init' on the master first", ErrorKind::failed};
  auto text = read_file(path);
  if (!text) return text.error();
  return parse_inventory(*text, display_path(path));
}

Status save_inventory(const std::string& path, const Inventory& inventory) {
  std::size_t slash = path.rfind('/');
  if (slash != std::string::npos && slash > 0)
    if (auto made = make_directory(path.substr(0, slash), 0700); !made) return made;
  return write_file_atomically(path, write_inventory(inventory), 0644);
}

}  // namespace beowulf::sys
