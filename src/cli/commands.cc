#include "cli/command.h"

namespace beowulf::cli {

// One declaration per subcommand file (src/cli/<name>_command.cc).

const std::vector<Command>& commands() {
  static const std::vector<Command> table = {
  };
  return table;
}

}  // namespace beowulf::cli
