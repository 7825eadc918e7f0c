#pragma once
// MemberOptions: the options of every command that acts on the cluster's members, spelled
// as pdsh and clush spell them: -w NODESET, -x NODESET, -f/--fanout N, -t/--timeout
// SECONDS. Seconds become milliseconds here, once.

#include <CLI/CLI.hpp>

#include <chrono>
#include <cstddef>
#include <string>

#include "core/result.h"

namespace beowulf::cli {

struct MemberOptions {
  std::string include;         ///< -w: only these members (names or addresses); empty: all
  std::string exclude;         ///< -x: not these
  std::size_t fanout = 64;     ///< -f/--fanout: nodes worked on at once
  double timeout_seconds = 0;  ///< -t/--timeout; 0: none, where the command allows it

  /// Adds -w, -x, -f/--fanout (1 to 4096) and -t/--timeout to `sub`. `timeout_help`
  /// says what the timeout means there (its default shows when above 0); a `min_timeout`
  /// above 0 refuses less, and more than `max_timeout`, as usage.
  void attach(CLI::App& sub, const std::string& timeout_help, double min_timeout = 0, double max_timeout = 3600);

  /// Only -f/--fanout and -t/--timeout, for a command that must act on every member (the
  /// same accounts everywhere: `users`), where choosing members would defeat its purpose.
  void attach_pace(CLI::App& sub, const std::string& timeout_help, double min_timeout = 0,
                   double max_timeout = 3600);

  /// The timeout in milliseconds (0: none). Bad input when negative.
  Result<std::chrono::milliseconds> timeout() const;
};

}  // namespace beowulf::cli
