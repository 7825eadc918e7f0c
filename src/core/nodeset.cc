#include "core/nodeset.h"

#include <fmt/format.h>

#include <algorithm>
#include <compare>
#include <cstdint>
#include <iterator>
#include <map>
#include <set>

namespace beowulf {
namespace {

// Every number inside brackets fits in 64 bits, with room to count one past it.
constexpr std::size_t max_digits = 18;

/// The most bytes of names one parse may make: with a long prefix a few names are many
/// bytes (a 5,000-character prefix with [1-999999] took 2.6 GB).
constexpr std::uint64_t max_bytes = 16u << 20;

/// The most digit runs of a name that folding works on (its last ones): each run is an
/// axis, and merging along every axis of many names costs axes squared.
constexpr std::size_t max_fold_axes = 8;

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
bool is_name_char(char c) {
  return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-' || c == '_' || c == '.';
}

/// A character as a message shows it: 'x', or byte 0x09 when it does not print.
std::string describe(char c) {
  auto byte = static_cast<unsigned char>(c);
  if (byte >= 0x20 && byte < 0x7f) return fmt::format("'{}'", c);
  return fmt::format("byte 0x{:02x}", byte);
}

std::size_t digit_count(std::uint64_t value) {
  std::size_t digits = 1;
  for (; value >= 10; value /= 10) ++digits;
  return digits;
}

/// One run of digits as written: `007` is {width 3, value 7}. Ordered by width, then
/// value: the order of runs in natural_less.
struct Index {
  std::size_t width = 0;
  std::uint64_t value = 0;

  /// Zero-padded: written with more digits than its value needs (`007`, `00`).
  bool padded() const { return width > digit_count(value); }
  std::string text() const { return fmt::format("{:0{}}", value, width); }
  auto operator<=>(const Index&) const = default;
};

// ---- parsing ------------------------------------------------------------------------

/// Reads one node-set text left to right; every error names the column it stopped at.
class Parser {
 public:
  Parser(std::string_view text, std::size_t limit) : text_(text), limit_(limit) {}

  /// Every name the text lists, in the order written, duplicates kept.
  Result<std::vector<std::string>> names() {
    skip_spaces();
    while (pos_ < text_.size()) {
      if (Status s = term(); !s) return s.error();
      skip_spaces();
      if (pos_ < text_.size() && text_[pos_] == ',') {
        const std::size_t comma = pos_++;
        skip_spaces();
        if (pos_ == text_.size()) return fail(comma, "empty name");
      }
    }
    return std::move(names_);
  }

 private:
  Error fail(std::size_t at, std::string_view what) const {
    return bad_input(fmt::format("nodeset: '{}': {} at column {}", text_, what, at + 1));
  }

  Error too_many(std::size_t at) const { return fail(at, fmt::format("more than {} names", limit_)); }
  Error too_large(std::size_t at) const { return fail(at, fmt::format("more than {} MiB of names", max_bytes >> 20)); }

  void skip_spaces() {
    while (pos_ < text_.size() && is_space(text_[pos_])) ++pos_;
  }

  /// One name pattern: plain text and bracketed ranges, the product of its parts.
  Status term() {
    const std::size_t start = pos_;
    std::vector<std::string> expansion{""};
    std::uint64_t bytes = 0;  // of the names in `expansion`
    while (pos_ < text_.size()) {
      const char c = text_[pos_];
      if (is_name_char(c)) {
        const std::size_t end = std::find_if_not(text_.begin() + pos_, text_.end(), is_name_char) - text_.begin();
        bytes += expansion.size() * (end - pos_);
        if (bytes_ + bytes > max_bytes) return too_large(start);
        for (auto& name : expansion) name += text_.substr(pos_, end - pos_);
        pos_ = end;
      } else if (c == '[') {
        std::vector<Index> indexes;
        if (Status s = bracket(expansion.size(), indexes); !s) return s;
        std::uint64_t index_bytes = 0;
        for (const auto& index : indexes) index_bytes += index.text().size();
        bytes = bytes * indexes.size() + expansion.size() * index_bytes;  // each factor is bounded: no overflow
        if (bytes_ + bytes > max_bytes) return too_large(start);
        expansion = product(expansion, indexes);
      } else if (c == ',' || is_space(c)) {
        break;
      } else if (c == ']') {
        return fail(pos_, "']' without '['");
      } else {
        return fail(pos_, describe(c) + " cannot be in a node name");
      }
    }
    if (pos_ == start) return fail(start, "empty name");
    if (names_.size() + expansion.size() > limit_) return too_many(start);
    bytes_ += bytes;
    std::move(expansion.begin(), expansion.end(), std::back_inserter(names_));
    return {};
  }

  static std::vector<std::string> product(const std::vector<std::string>& heads, const std::vector<Index>& indexes) {
    std::vector<std::string> names;
    names.reserve(heads.size() * indexes.size());
    for (const auto& head : heads)
      for (const auto& index : indexes) names.push_back(head + index.text());
    return names;
  }

  /// `[ranges]` at pos_; `term_names` is how many names the term has before it.
  Status bracket(std::size_t term_names, std::vector<Index>& indexes) {
    const std::size_t open = pos_;
    const std::size_t close = text_.find_first_of("[]", open + 1);
    if (close == std::string_view::npos) return fail(open, "'[' without ']'");
    if (text_[close] == '[') return fail(close, "'[' inside brackets");
    for (pos_ = open + 1;; ++pos_) {
      if (Status s = range(close, term_names, indexes); !s) return s;
      if (pos_ == close) break;
    }
    pos_ = close + 1;
    return {};
  }

  /// `a`, `a-b` or `a-b/step` at pos_, which stops at the ',' or ']' after it.
  Status range(std::size_t close, std::size_t term_names, std::vector<Index>& indexes) {
    const std::size_t start = pos_;
    if (pos_ == close || text_[pos_] == ',') return fail(pos_, "empty range");
    Result<Index> low = number();
    if (!low) return low.error();
    Result<Index> high = *low;
    std::uint64_t step = 1;
    if (text_[pos_] == '-') {
      ++pos_;
      if (high = number(); !high) return high.error();
      if (text_[pos_] == '/') {
        const std::size_t step_at = ++pos_;
        Result<Index> s = number();
        if (!s) return s.error();
        if (s->value == 0) return fail(step_at, "step must be at least 1");
        step = s->value;
      }
    } else if (text_[pos_] == '/') {
      return fail(pos_, "a step needs a range, like 1-9/2");
    }
    if (pos_ != close && text_[pos_] != ',')
      return fail(pos_, fmt::format("expected ',' or ']', found {}", describe(text_[pos_])));
    if ((low->padded() || high->padded()) && low->width != high->width)
      return fail(start, fmt::format("padding differs between {} and {}", low->text(), high->text()));
    if (low->value > high->value) return fail(start, "range goes backwards");

    // Refuse before expanding. Each factor is at most limit_ here, so no overflow.
    const std::uint64_t size = (high->value - low->value) / step + 1;
    if (size > limit_ || names_.size() + term_names * (indexes.size() + size) > limit_) return too_many(start);
    for (std::uint64_t v = low->value; v <= high->value; v += step)
      indexes.push_back({low->padded() ? low->width : digit_count(v), v});
    return {};
  }

  /// The digits at pos_ (inside brackets, so a ']' always follows somewhere).
  Result<Index> number() {
    const std::size_t start = pos_;
    while (is_digit(text_[pos_])) ++pos_;
    if (pos_ == start) return fail(start, fmt::format("expected a number, found {}", describe(text_[start])));
    if (pos_ - start > max_digits) return fail(start, fmt::format("number longer than {} digits", max_digits));
    Index index{pos_ - start, 0};
    for (char c : text_.substr(start, pos_ - start)) index.value = index.value * 10 + static_cast<unsigned>(c - '0');
    return index;
  }

  std::string_view text_;
  std::size_t limit_;
  std::size_t pos_ = 0;
  std::vector<std::string> names_;
  std::uint64_t bytes_ = 0;  // of names_
};

// ---- folding ------------------------------------------------------------------------
// Names with the same text between their digit runs (the same "shape") fold together.
// Each is first a product of one-index axes; then, from the last axis to the first,
// products that differ in that axis alone are merged. worker001..003 become
// worker[001-003]; rack1node[1-4] and rack2node[1-4] become rack[1-2]node[1-4].

using Axis = std::set<Index>;      // the indexes one digit run takes
using Term = std::vector<Axis>;    // a product of axes: one per digit run

/// A name cut at its digit runs: texts.size() == indexes.size() + 1. A run longer than
/// max_digits stays in the text, as brackets could not hold it.
struct Cut {
  std::vector<std::string> texts{""};
  std::vector<Index> indexes;
};

Cut cut(std::string_view name) {
  Cut cut;
  for (std::size_t i = 0; i < name.size();) {
    std::size_t end = i;
    while (end < name.size() && is_digit(name[end])) ++end;
    if (end == i) {
      cut.texts.back() += name[i++];
    } else if (end - i > max_digits) {
      cut.texts.back() += name.substr(i, end - i);
      i = end;
    } else {
      Index index{end - i, 0};
      for (; i < end; ++i) index.value = index.value * 10 + static_cast<unsigned>(name[i] - '0');
      cut.indexes.push_back(index);
      cut.texts.emplace_back();
    }
  }
  if (cut.indexes.size() <= max_fold_axes) return cut;
  // Runs before the last max_fold_axes stay in the text (in one pass: linear in the name).
  const std::size_t drop = cut.indexes.size() - max_fold_axes;
  Cut kept;
  kept.texts[0] = cut.texts[0];
  for (std::size_t i = 0; i < drop; ++i) kept.texts[0] += cut.indexes[i].text() + cut.texts[i + 1];
  kept.texts.insert(kept.texts.end(), cut.texts.begin() + static_cast<std::ptrdiff_t>(drop) + 1, cut.texts.end());
  kept.indexes.assign(cut.indexes.begin() + static_cast<std::ptrdiff_t>(drop), cut.indexes.end());
  return kept;
}

/// Merges the terms that are equal but for `axis`.
std::vector<Term> fold_axis(std::vector<Term> terms, std::size_t axis) {
  std::map<Term, Axis> merged;  // the term with `axis` emptied -> the union of its `axis`
  for (Term& term : terms) {
    Axis indexes = std::move(term[axis]);
    term[axis].clear();
    merged[std::move(term)].merge(indexes);
  }
  std::vector<Term> folded;
  for (auto& [others, indexes] : merged) {
    folded.push_back(others);
    folded.back()[axis] = std::move(indexes);
  }
  return folded;
}

/// True when `next` continues the run that starts at `first` and ends at `last`: the
/// next number, written as the range `first-next` would write it.
bool continues(const Index& first, const Index& last, const Index& next) {
  if (next.value != last.value + 1) return false;
  return first.padded() ? next.width == first.width : !next.padded();
}

/// `7`, or `[1-3,7]`: consecutive indexes become ranges.
std::string axis_text(const Axis& axis) {
  if (axis.size() == 1) return axis.begin()->text();
  std::vector<std::string> ranges;
  for (auto it = axis.begin(); it != axis.end();) {
    const Index first = *it;
    Index last = *it;
    for (++it; it != axis.end() && continues(first, last, *it); ++it) last = *it;
    ranges.push_back(first == last ? first.text() : first.text() + "-" + last.text());
  }
  return fmt::format("[{}]", fmt::join(ranges, ","));
}

std::string term_text(const std::vector<std::string>& texts, const Term& term) {
  std::string text = texts[0];
  for (std::size_t i = 0; i < term.size(); ++i) text += axis_text(term[i]) + texts[i + 1];
  return text;
}

/// The first name of a term in natural order: the one that places it in the fold.
std::string first_name(const std::vector<std::string>& texts, const Term& term) {
  std::string name = texts[0];
  for (std::size_t i = 0; i < term.size(); ++i) name += term[i].begin()->text() + texts[i + 1];
  return name;
}

struct Folded {
  std::string first_name;
  std::string text;
};

}  // namespace

// ---- NodeSet ------------------------------------------------------------------------

NodeSet::NodeSet(std::vector<std::string> names) : names_(std::move(names)) {
  if (!std::is_sorted(names_.begin(), names_.end(), natural_less))
    std::sort(names_.begin(), names_.end(), natural_less);
  names_.erase(std::unique(names_.begin(), names_.end()), names_.end());
}

Result<NodeSet> NodeSet::parse(std::string_view text, std::size_t limit) {
  auto names = Parser(text, std::min(limit, max_names)).names();
  if (!names) return names.error();
  return NodeSet(std::move(*names));
}

std::string NodeSet::fold() const {
  std::vector<Folded> folded;
  // shape -> its terms keyed by all axes but the last -> the last axis
  std::map<std::vector<std::string>, std::map<Term, Axis>> shapes;
  for (const auto& name : names_) {
    Cut c = cut(name);
    if (c.indexes.empty()) {
      folded.push_back({name, name});
      continue;
    }
    const Index last = c.indexes.back();
    c.indexes.pop_back();
    Term leading;
    for (const Index& index : c.indexes) leading.push_back(Axis{index});
    shapes[std::move(c.texts)][std::move(leading)].insert(last);
  }
  for (auto& [texts, groups] : shapes) {
    std::vector<Term> terms;
    for (auto& [leading, last] : groups) {
      terms.push_back(leading);
      terms.back().push_back(std::move(last));
    }
    for (std::size_t axis = texts.size() - 2; axis-- > 0;) terms = fold_axis(std::move(terms), axis);
    for (const Term& term : terms) folded.push_back({first_name(texts, term), term_text(texts, term)});
  }
  std::sort(folded.begin(), folded.end(),
            [](const Folded& a, const Folded& b) { return natural_less(a.first_name, b.first_name); });
  std::string text;
  for (const auto& f : folded) text += (text.empty() ? "" : ",") + f.text;
  return text;
}

bool NodeSet::contains(std::string_view name) const {
  auto it = std::lower_bound(names_.begin(), names_.end(), name,
                             [](const std::string& a, std::string_view b) { return natural_less(a, b); });
  return it != names_.end() && *it == name;
}

NodeSet operator|(const NodeSet& a, const NodeSet& b) {
  std::vector<std::string> names;
  std::set_union(a.names_.begin(), a.names_.end(), b.names_.begin(), b.names_.end(), std::back_inserter(names),
                 natural_less);
  return NodeSet(std::move(names));
}

NodeSet operator-(const NodeSet& a, const NodeSet& b) {
  std::vector<std::string> names;
  std::set_difference(a.names_.begin(), a.names_.end(), b.names_.begin(), b.names_.end(),
                      std::back_inserter(names), natural_less);
  return NodeSet(std::move(names));
}

bool natural_less(std::string_view a, std::string_view b) {
  std::size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    if (is_digit(a[i]) && is_digit(b[j])) {
      std::size_t a_end = i, b_end = j;
      while (a_end < a.size() && is_digit(a[a_end])) ++a_end;
      while (b_end < b.size() && is_digit(b[b_end])) ++b_end;
      std::string_view a_run = a.substr(i, a_end - i), b_run = b.substr(j, b_end - j);
      if (a_run.size() != b_run.size()) return a_run.size() < b_run.size();
      if (a_run != b_run) return a_run < b_run;
      i = a_end;
      j = b_end;
    } else {
      if (a[i] != b[j]) return static_cast<unsigned char>(a[i]) < static_cast<unsigned char>(b[j]);
      ++i;
      ++j;
    }
  }
  return i == a.size() && j < b.size();
}

}  // namespace beowulf
