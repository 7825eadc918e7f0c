#include "cli/command.h"

namespace beowulf::cli {

// One declaration per subcommand file (src/cli/<name>_command.cc).
Command image_command();

const std::vector<Command>& commands() {
  static const std::vector<Command> table = {
      image_command(),
  };
  return table;
}

}  // namespace beowulf::cli
