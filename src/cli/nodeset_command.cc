// beowulf nodeset: expand, fold and count node sets, like ClusterShell's `nodeset`.

#include <fmt/format.h>

#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "cli/command.h"
#include "cli/report.h"
#include "core/nodeset.h"

namespace beowulf::cli {
namespace {

struct NodesetOptions {
  bool expand = false;
  bool fold = false;
  bool count = false;
  std::vector<std::string> sets;
  std::vector<std::string> excludes;
  std::string separator = " ";
};

/// A separator as typed on a command line, with `\n`, `\t` and `\\` read as
/// ClusterShell reads them, so that `-S '\n'` puts one name on a line.
std::string unescape(std::string_view typed) {
  std::string text;
  for (std::size_t i = 0; i < typed.size(); ++i) {
    const char next = i + 1 < typed.size() ? typed[i + 1] : '\0';
    if (typed[i] == '\\' && (next == 'n' || next == 't' || next == '\\')) {
      text += next == 'n' ? '\n' : next == 't' ? '\t' : '\\';
      ++i;
    } else {
      text += typed[i];
    }
  }
  return text;
}

/// The union of every set in `texts`, or the first one's error.
Result<NodeSet> union_of(const std::vector<std::string>& texts) {
  NodeSet all;
  for (const auto& text : texts) {
    auto nodes = NodeSet::parse(text);
    if (!nodes) return nodes.error();
    all = all | *nodes;
  }
  return all;
}

/// Standard input's lines without their `#` comments: the sets when none is given.
std::vector<std::string> stdin_lines() {
  std::vector<std::string> lines;
  for (std::string line; std::getline(std::cin, line);) lines.push_back(line.substr(0, line.find('#')));
  return lines;
}

int run_nodeset(const NodesetOptions& options) {
  if (!options.expand && !options.fold && !options.count)
    return report(bad_input("nodeset: say what to do: -e (expand), -f (fold) or -c (count)",
                            "run 'beowulf nodeset --help' for usage and an example"));
  auto nodes = union_of(options.sets.empty() ? stdin_lines() : options.sets);
  if (!nodes) return report(nodes.error());
  auto excluded = union_of(options.excludes);
  if (!excluded) return report(excluded.error());

  const NodeSet result = *nodes - *excluded;
  if (options.count) {
    fmt::print("{}\n", result.count());
  } else if (options.fold) {
    fmt::print("{}\n", result.fold());
  } else {
    fmt::print("{}\n", fmt::join(result.expand(), unescape(options.separator)));
  }
  return exit_ok;
}

}  // namespace

Run attach_nodeset(CLI::App& sub) {
  auto options = std::make_shared<NodesetOptions>();
  auto* expand = sub.add_flag("-e,--expand", options->expand, "print every name, in natural order");
  auto* fold = sub.add_flag("-f,--fold", options->fold, "print the set folded: worker[001-003,005]");
  auto* count = sub.add_flag("-c,--count", options->count, "print how many names the set has");
  expand->excludes(fold)->excludes(count);
  fold->excludes(count);
  sub.add_option("-x,--exclude", options->excludes, "remove the names of SET (may be repeated)")
      ->type_name("SET")
      ->allow_extra_args(false);
  sub.add_option("-S,--separator", options->separator, "what goes between names with --expand (default: a space)")
      ->type_name("TEXT");
  sub.add_option("SET", options->sets,
                 "node sets, joined together; with none, read from standard input (# starts a comment)");
  sub.footer(R"(A SET lists names and ranges, separated by commas or spaces:
  worker[001-004,007]   198.18.0.[11-13]   rack[1-2]node[1-4]   n[1-9/2]

Examples:
  beowulf nodeset -f worker001,worker002,worker003,worker005
      worker[001-003,005]
  beowulf nodeset -e 198.18.0.[11-13]
      198.18.0.11 198.18.0.12 198.18.0.13
  beowulf nodeset -c worker[001-008] -x worker[003-004]
      6)");
  return [options] { return run_nodeset(*options); };
}

}  // namespace beowulf::cli
