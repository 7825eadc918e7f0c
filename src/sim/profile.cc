#include "sim/profile.h"

#include <fmt/core.h>

#include "core/suggest.h"

namespace beowulf::sim {
namespace {

const std::vector<Profile>& profiles() {
  static const std::vector<Profile> all = {
      {"parallella", "linaro", "linaro", "linaro-nano"},
      {"raspberrypi", "pi", "raspberry", "raspberrypi"},
  };
  return all;
}

}  // namespace

std::vector<std::string> profile_names() {
  std::vector<std::string> names;
  for (const auto& p : profiles()) names.push_back(p.name);
  return names;
}

Result<Profile> profile_named(const std::string& name) {
  for (const auto& p : profiles())
    if (p.name == name) return p;
  std::string hint = "known profiles: parallella, raspberrypi";
  if (auto guess = closest(name, profile_names())) hint = fmt::format("did you mean '{}'?", *guess);
  return bad_input(fmt::format("--profile {}: no such profile", name), hint);
}

}  // namespace beowulf::sim
