#include "core/etc_files.h"

#include <fmt/core.h>

#include <cctype>
#include <charconv>
#include <sstream>
#include <vector>

namespace beowulf {
namespace {

std::vector<std::string_view> split(std::string_view text, char sep) {
  std::vector<std::string_view> out;
  for (size_t at = 0;;) {
    size_t next = text.find(sep, at);
    out.push_back(text.substr(at, next == std::string_view::npos ? std::string_view::npos : next - at));
    if (next == std::string_view::npos) break;
    at = next + 1;
  }
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

/// The lines of `text` without their newlines; no empty last line for a final newline.
std::vector<std::string_view> lines_of(std::string_view text) {
  if (text.empty()) return {};
  if (text.back() == '\n') text.remove_suffix(1);
  return split(text, '\n');
}

}  // namespace

Status check_hostname(std::string_view name) {
  bool ok = !name.empty() && name.size() <= 63 && name.front() != '-' && name.back() != '-';
  for (char c : name) ok = ok && (std::isalnum(static_cast<unsigned char>(c)) || c == '-');
  if (!ok)
    return bad_input(fmt::format("'{}' is not a valid host name", name),
                     "use 1-63 letters, digits and hyphens, e.g. worker004");
  return {};
}

std::string with_own_name(std::string_view hosts, std::string_view name) {
  std::string out;
  bool found = false;
  for (auto line : lines_of(hosts)) {
    std::string_view t = trim(line);
    if (t.substr(0, 9) == "127.0.1.1" && (t.size() == 9 || std::isspace(static_cast<unsigned char>(t[9])))) {
      if (found) continue;  // one such line only
      out += fmt::format("127.0.1.1\t{}\n", name);
      found = true;
      continue;
    }
    out += std::string(line) + "\n";
  }
  if (!found) out += fmt::format("127.0.1.1\t{}\n", name);
  return out;
}

std::optional<PasswdEntry> find_user(std::string_view passwd, std::string_view user) {
  for (auto line : lines_of(passwd)) {
    auto fields = split(line, ':');
    if (fields.size() < 7 || fields[0] != user) continue;
    PasswdEntry entry;
    auto uid = std::from_chars(fields[2].data(), fields[2].data() + fields[2].size(), entry.uid);
    auto gid = std::from_chars(fields[3].data(), fields[3].data() + fields[3].size(), entry.gid);
    if (uid.ec != std::errc{} || gid.ec != std::errc{} || fields[5].empty() || fields[5][0] != '/') return std::nullopt;
    entry.home = std::string(fields[5]);
    return entry;
  }
  return std::nullopt;
}

std::string with_authorized_key(std::string_view authorized_keys, std::string_view key) {
  std::string_view wanted = trim(key);
  std::string out(authorized_keys);
  for (auto line : lines_of(authorized_keys))
    if (trim(line) == wanted) return out;
  if (!out.empty() && out.back() != '\n') out += '\n';
  out += std::string(wanted) + "\n";
  return out;
}

}  // namespace beowulf
