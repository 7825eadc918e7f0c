#include "cli/streamed.h"

#include <fmt/core.h>

#include "cli/report.h"
#include "remote/fan_out.h"

namespace beowulf::cli {

int run_streamed(const sys::ProcessSpec& spec, int cancel_fd) {
  // A program of this machine's, named by its own name in messages.
  remote::Job job{{.name = spec.argv.empty() ? "" : spec.argv.front(), .local = true}, spec};
  auto outcomes = remote::FanOut({.cancel_fd = cancel_fd}).run({job}, [](const remote::Event& e) {
    if (e.kind == remote::EventKind::out_line) {
      fmt::print("{}\n", e.text);
      std::fflush(stdout);
    } else if (e.kind == remote::EventKind::err_line) {
      fmt::print(stderr, "{}\n", e.text);
    } else if (e.kind == remote::EventKind::could_not_start) {
      report(Error{fmt::format("{}: {}", e.node, e.text)});
    }
  });
  const auto& end = outcomes.front();
  switch (end.end) {
    case remote::EventKind::cancelled: return exit_interrupted;
    case remote::EventKind::could_not_start: return 127;
    default: return end.signal != 0 ? 128 + end.signal : end.exit_code;
  }
}

}  // namespace beowulf::cli
