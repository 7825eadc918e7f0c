#include "cli/member_options.h"

namespace beowulf::cli {

void MemberOptions::attach(CLI::App& sub, const std::string& timeout_help, double min_timeout, double max_timeout) {
  sub.add_option("-w", include, "only these members (names or addresses): worker[001-004]")->type_name("NODESET");
  sub.add_option("-x", exclude, "not these members")->type_name("NODESET");
  attach_pace(sub, timeout_help, min_timeout, max_timeout);
}

void MemberOptions::attach_pace(CLI::App& sub, const std::string& timeout_help, double min_timeout,
                                double max_timeout) {
  sub.add_option("-f,--fanout", fanout, "at most this many nodes at once")
      ->type_name("N")
      ->capture_default_str()
      ->check(CLI::Range(std::size_t{1}, std::size_t{4096}));
  auto* timeout = sub.add_option("-t,--timeout", timeout_seconds, timeout_help)->type_name("SECONDS");
  if (min_timeout > 0) timeout->check(CLI::Range(min_timeout, max_timeout));
  if (timeout_seconds > 0) timeout->capture_default_str();
}

Result<std::chrono::milliseconds> MemberOptions::timeout() const {
  if (timeout_seconds < 0) return bad_input("-t: the timeout cannot be negative");
  return std::chrono::milliseconds(static_cast<long long>(timeout_seconds * 1000));
}

}  // namespace beowulf::cli
