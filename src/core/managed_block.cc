#include "core/managed_block.h"

#include <fmt/core.h>

namespace beowulf {
namespace {

constexpr const char* kFixHint = "beowulf keeps one block between '# BEGIN beowulf' and '# END beowulf': fix the markers by hand";

/// One line of a text: its bytes (without the '\n') and where it starts and ends.
struct Line {
  std::string_view text;
  std::size_t start = 0;
  std::size_t next = 0;  ///< where the following line starts (past the '\n', if any)
};

std::vector<Line> split_lines(std::string_view text) {
  std::vector<Line> lines;
  for (std::size_t start = 0; start < text.size();) {
    std::size_t newline = text.find('\n', start);
    std::size_t end = newline == std::string_view::npos ? text.size() : newline;
    std::size_t next = newline == std::string_view::npos ? text.size() : newline + 1;
    lines.push_back(Line{text.substr(start, end - start), start, next});
    start = next;
  }
  return lines;
}

bool is_marker(std::string_view line, std::string_view marker) {
  if (!line.starts_with(marker)) return false;
  return line.substr(marker.size()).find_first_not_of(" \t\r") == std::string_view::npos;
}

/// The block's first and last line (indexes of its markers), when there is one.
struct Span {
  std::size_t begin = 0, end = 0;
};

Result<std::optional<Span>> find_block(const std::vector<Line>& lines, std::string_view file) {
  auto broken = [&](std::size_t index, std::string what) {
    return bad_input(fmt::format("{}:{}: {}", file, index + 1, what), kFixHint);
  };
  std::optional<Span> found;
  std::optional<std::size_t> open;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (is_marker(lines[i].text, kBlockBegin)) {
      if (open) return broken(i, fmt::format("a second '{}' (the one on line {} has no '{}')", kBlockBegin, *open + 1, kBlockEnd));
      if (found)
        return broken(i, fmt::format("a second beowulf block (the first is on lines {}-{})", found->begin + 1, found->end + 1));
      open = i;
    } else if (is_marker(lines[i].text, kBlockEnd)) {
      if (!open) return broken(i, fmt::format("'{}' without '{}' before it", kBlockEnd, kBlockBegin));
      found = Span{*open, i};
      open.reset();
    }
  }
  if (open) return broken(*open, fmt::format("'{}' without '{}'", kBlockBegin, kBlockEnd));
  return found;
}

Status check_block_lines(const std::vector<std::string>& lines) {
  for (const std::string& line : lines)
    if (line.find('\n') != std::string::npos || is_marker(line, kBlockBegin) || is_marker(line, kBlockEnd))
      return bad_input(fmt::format("'{}' cannot be a line of the beowulf block", line));
  return {};
}

std::string render(const std::vector<std::string>& lines, bool final_newline) {
  std::string block = std::string(kBlockBegin) + "\n";
  for (const std::string& line : lines) block += line + "\n";
  block += kBlockEnd;
  if (final_newline) block += "\n";
  return block;
}

}  // namespace

Result<std::string> put_block(std::string_view text, const std::vector<std::string>& lines, std::string_view file) {
  if (auto checked = check_block_lines(lines); !checked) return checked.error();
  std::vector<Line> all = split_lines(text);
  auto span = find_block(all, file);
  if (!span) return span.error();
  if (!*span) {
    std::string result(text);
    if (!result.empty() && result.back() != '\n') result += '\n';
    return result + render(lines, true);
  }
  const Line& begin = all[(*span)->begin];
  const Line& end = all[(*span)->end];
  bool end_had_newline = end.next > end.start + end.text.size();
  return std::string(text.substr(0, begin.start)) + render(lines, end_had_newline) + std::string(text.substr(end.next));
}

Result<std::string> remove_block(std::string_view text, std::string_view file) {
  std::vector<Line> all = split_lines(text);
  auto span = find_block(all, file);
  if (!span) return span.error();
  if (!*span) return std::string(text);
  return std::string(text.substr(0, all[(*span)->begin].start)) + std::string(text.substr(all[(*span)->end].next));
}

Result<std::optional<std::vector<std::string>>> read_block(std::string_view text, std::string_view file) {
  std::vector<Line> all = split_lines(text);
  auto span = find_block(all, file);
  if (!span) return span.error();
  if (!*span) return std::optional<std::vector<std::string>>();
  std::vector<std::string> lines;
  for (std::size_t i = (*span)->begin + 1; i < (*span)->end; ++i) lines.emplace_back(all[i].text);
  return std::optional(std::move(lines));
}

}  // namespace beowulf
