#include "cli/command.h"

namespace beowulf::cli {

// One declaration per subcommand file (src/cli/<name>_command.cc).
Run attach_nodeset(CLI::App& sub);

const std::vector<Command>& commands() {
  static const std::vector<Command> table = {
      {"nodeset", "expand, fold and count node sets like worker[001-004]", attach_nodeset},
  };
  return table;
}

}  // namespace beowulf::cli
