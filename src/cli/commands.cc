#include "cli/command.h"

namespace beowulf::cli {

// One declaration per subcommand file (src/cli/<name>_command.cc).
Command sim_command();

const std::vector<Command>& commands() {
  static const std::vector<Command> table = {
      sim_command(),
  };
  return table;
}

}  // namespace beowulf::cli
