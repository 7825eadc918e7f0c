#include "cli/app.h"

#include <fmt/core.h>

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "cli/command.h"
#include "cli/report.h"
#include "core/suggest.h"

namespace beowulf::cli {
namespace {

constexpr const char* kFooter = R"(Examples:
  beowulf sim up --workers 3              a virtual cluster to practise on
  beowulf add 198.18.0.[11-13] --user linaro
  beowulf run -n 4 beowulf-cpi

Run 'beowulf COMMAND --help' for a command's options.)";

std::vector<std::string> command_names() {
  std::vector<std::string> names;
  for (const auto& c : commands()) names.emplace_back(c.name);
  return names;
}

/// The error for a first word that is not a command, with the likely one.
Error unknown_command(const std::string& typed) {
  std::string hint = "run 'beowulf --help' for the list of commands";
  if (auto guess = closest(typed, command_names())) hint = fmt::format("did you mean 'beowulf {}'?", *guess);
  return bad_input(fmt::format("'{}' is not a beowulf command", typed), hint);
}

bool is_command(const std::string& word) {
  for (const auto& c : commands())
    if (c.name == word) return true;
  return false;
}

/// The options beowulf takes before a command.
const std::vector<std::string>& global_options() {
  static const std::vector<std::string> options = {"-h", "--help", "--version"};
  return options;
}

/// The error for a first word that is an option beowulf does not have. (Left to CLI11,
/// `beowulf --verison` said "A subcommand is required", which points the wrong way.)
Error unknown_option(const std::string& typed) {
  std::string hint = "run 'beowulf --help' for usage and an example";
  if (auto guess = closest(typed, global_options())) hint = fmt::format("did you mean 'beowulf {}'?", *guess);
  return bad_input(fmt::format("'{}' is not a beowulf option", typed), hint);
}

bool is_global_option(const std::string& word) {
  const auto& options = global_options();
  return std::find(options.begin(), options.end(), word) != options.end();
}

}  // namespace

int run_app(int argc, char** argv) {
  CLI::App app{"beowulf: build, check and use an MPI Beowulf cluster", "beowulf"};
  app.set_version_flag("--version", std::string("beowulf ") + BEOWULF_VERSION);
  app.require_subcommand(1);
  app.footer(kFooter);

  std::map<CLI::App*, Run> runs;
  for (const auto& command : commands()) {
    CLI::App* sub = app.add_subcommand(std::string(command.name), std::string(command.summary));
    runs[sub] = command.attach(*sub);
  }

  if (argc == 1) return report(bad_input("no command given", "run 'beowulf --help' for the list of commands"));
  const std::string first = argv[1];
  if (first[0] != '-' && !is_command(first)) return report(unknown_command(first));
  if (first[0] == '-' && !is_global_option(first)) return report(unknown_option(first));

  try {
    app.parse(argc, argv);
  } catch (const CLI::Success& e) {  // --help, --version
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::string where = app.get_subcommands().empty() ? "beowulf" : "beowulf " + app.get_subcommands()[0]->get_name();
    return report(bad_input(e.what(), fmt::format("run '{} --help' for usage and an example", where)));
  }
  try {
    return runs.at(app.get_subcommands().at(0))();
  } catch (const std::exception& e) {  // a bug: still one error line, never a bare abort
    return report(Error{fmt::format("unexpected failure: {}", e.what()), "", "this is a bug in beowulf: please report it"});
  }
}

}  // namespace beowulf::cli
