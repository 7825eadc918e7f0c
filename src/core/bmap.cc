#include "core/bmap.h"

#include <fmt/core.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdlib>
#include <optional>

namespace beowulf {
namespace {

constexpr std::string_view kSpace = " \t\r\n";

std::string_view trim(std::string_view s) {
  auto begin = s.find_first_not_of(kSpace);
  if (begin == std::string_view::npos) return {};
  return s.substr(begin, s.find_last_not_of(kSpace) - begin + 1);
}

/// `text` with every `<!-- ... -->` and `<? ... ?>` blanked out, newlines kept, so that
/// offsets (and so line numbers) stay those of the original.
std::string blank_comments(std::string_view text) {
  std::string out(text);
  for (auto [open, close] : {std::pair{"<!--", "-->"}, std::pair{"<?", "?>"}}) {
    size_t at = 0;
    while ((at = out.find(open, at)) != std::string::npos) {
      size_t end = out.find(close, at);
      end = end == std::string::npos ? out.size() : end + std::string_view(close).size();
      for (size_t i = at; i < end; ++i)
        if (out[i] != '\n') out[i] = ' ';
      at = end;
    }
  }
  return out;
}

class Parser {
 public:
  explicit Parser(std::string_view text) : text_(blank_comments(text)) {}

  Error error_at(size_t offset, const std::string& what) const {
    auto line = 1 + std::count(text_.begin(), text_.begin() + std::min(offset, text_.size()), '\n');
    return bad_input(fmt::format("bmap line {}: {}", line, what));
  }

  /// Offset of the start tag `<name` (followed by space, '>' or '/'), from `from`.
  size_t find_tag(std::string_view name, size_t from = 0, size_t until = std::string::npos) const {
    std::string open = "<" + std::string(name);
    for (size_t at = text_.find(open, from); at < until && at != std::string::npos; at = text_.find(open, at + 1)) {
      size_t next = at + open.size();
      if (next < text_.size() && (text_[next] == '>' || text_[next] == '/' || kSpace.find(text_[next]) != std::string_view::npos))
        return at;
    }
    return std::string::npos;
  }

  /// The value of attribute `name` in the start tag beginning at `tag`; nullopt when absent.
  std::optional<std::string> attribute(size_t tag, std::string_view name) const {
    size_t end = text_.find('>', tag);
    std::string_view head = std::string_view(text_).substr(tag, end == std::string::npos ? std::string::npos : end - tag);
    for (size_t at = head.find(name); at != std::string_view::npos; at = head.find(name, at + 1)) {
      if (kSpace.find(head[at - 1]) == std::string_view::npos) continue;
      size_t eq = head.find_first_not_of(kSpace, at + name.size());
      if (eq == std::string_view::npos || head[eq] != '=') continue;
      size_t quote = head.find_first_not_of(kSpace, eq + 1);
      if (quote == std::string_view::npos || (head[quote] != '"' && head[quote] != '\'')) continue;
      size_t close = head.find(head[quote], quote + 1);
      if (close == std::string_view::npos) return std::nullopt;
      return std::string(head.substr(quote + 1, close - quote - 1));
    }
    return std::nullopt;
  }

  struct Element {
    size_t tag = 0;
    std::string_view body;  ///< between '>' and the closing tag
    size_t end = 0;         ///< just past the closing tag
  };

  /// The element `name` whose start tag is at `tag`. Fails when it is not closed.
  Result<Element> element_at(size_t tag, std::string_view name) const {
    size_t body = text_.find('>', tag);
    if (body == std::string::npos) return error_at(tag, fmt::format("<{}> is not closed", name));
    std::string close = "</" + std::string(name) + ">";
    size_t end = text_.find(close, body);
    if (end == std::string::npos) return error_at(tag, fmt::format("<{}> has no {}", name, close));
    return Element{tag, std::string_view(text_).substr(body + 1, end - body - 1), end + close.size()};
  }

  /// The body of the one element `name`; nullopt when absent.
  Result<std::optional<Element>> optional_element(std::string_view name) const {
    size_t tag = find_tag(name);
    if (tag == std::string::npos) return std::optional<Element>{};
    auto element = element_at(tag, name);
    if (!element) return element.error();
    return std::optional<Element>{*element};
  }

  Result<uint64_t> number(const Element& e, std::string_view name) const {
    return parse_number(trim(e.body), e.tag, name);
  }

  Result<uint64_t> parse_number(std::string_view digits, size_t at, std::string_view name) const {
    uint64_t value = 0;
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    if (digits.empty() || ec != std::errc{} || end != digits.data() + digits.size())
      return error_at(at, fmt::format("{} '{}' is not a number", name, digits));
    return value;
  }

  Result<uint64_t> required_number(std::string_view name) const {
    auto element = optional_element(name);
    if (!element) return element.error();
    if (!*element) return bad_input(fmt::format("bmap: no <{}>", name));
    return number(**element, name);
  }

  const std::string& text() const { return text_; }

 private:
  std::string text_;
};

bool is_hex(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return std::isxdigit(static_cast<unsigned char>(c)); });
}

size_t digest_length(std::string_view type) {
  if (type == "sha256") return 64;
  if (type == "sha1") return 40;
  return 0;
}

/// Parses "A" or "A-B" at `tag` into a range.
Result<BmapRange> parse_range(const Parser& p, const Parser::Element& e) {
  std::string_view body = trim(e.body);
  size_t dash = body.find('-');
  auto first = p.parse_number(trim(body.substr(0, dash)), e.tag, "range start");
  if (!first) return first.error();
  auto last = dash == std::string_view::npos ? first : p.parse_number(trim(body.substr(dash + 1)), e.tag, "range end");
  if (!last) return last.error();
  if (*last < *first) return p.error_at(e.tag, fmt::format("range {} ends before it starts", body));
  return BmapRange{*first, *last, {}};
}

Result<std::vector<BmapRange>> parse_ranges(const Parser& p, const Bmap& bmap, std::string_view sum_attribute) {
  size_t map = p.find_tag("BlockMap");
  if (map == std::string::npos) return bad_input("bmap: no <BlockMap>");
  auto block_map = p.element_at(map, "BlockMap");
  if (!block_map) return block_map.error();
  std::vector<BmapRange> ranges;
  size_t expected = digest_length(bmap.checksum_type);
  for (size_t tag = p.find_tag("Range", map, block_map->end); tag != std::string::npos;
       tag = p.find_tag("Range", tag + 1, block_map->end)) {
    auto element = p.element_at(tag, "Range");
    if (!element) return element.error();
    auto range = parse_range(p, *element);
    if (!range) return range.error();
    if (auto sum = p.attribute(tag, sum_attribute)) {
      if (sum->size() != expected || !is_hex(*sum))
        return p.error_at(tag, fmt::format("'{}' is not a {} checksum", *sum, bmap.checksum_type));
      range->sha256 = *sum;
    }
    if (!ranges.empty() && range->first <= ranges.back().last)
      return p.error_at(tag, fmt::format("range {}-{} overlaps or precedes the one before it", range->first, range->last));
    if (range->last >= bmap.blocks_count())
      return p.error_at(tag, fmt::format("range {}-{} goes past the image's {} blocks", range->first, range->last,
                                         bmap.blocks_count()));
    ranges.push_back(std::move(*range));
  }
  return ranges;
}

std::string human_size(uint64_t bytes) {
  const char* units[] = {"bytes", "KiB", "MiB", "GiB", "TiB"};
  double value = static_cast<double>(bytes);
  int unit = 0;
  while (value >= 1024 && unit < 4) value /= 1024, ++unit;
  return unit == 0 ? fmt::format("{} bytes", bytes) : fmt::format("{:.1f} {}", value, units[unit]);
}

}  // namespace

uint64_t Bmap::mapped_blocks() const {
  uint64_t n = 0;
  for (const auto& r : ranges) n += r.blocks();
  return n;
}

uint64_t Bmap::range_length(const BmapRange& range) const {
  uint64_t begin = range.first * block_size;
  uint64_t end = std::min<uint64_t>((range.last + 1) * block_size, image_size);
  return end > begin ? end - begin : 0;
}

uint64_t Bmap::mapped_bytes() const {
  uint64_t n = 0;
  for (const auto& r : ranges) n += range_length(r);
  return n;
}

Result<Bmap> parse_bmap(std::string_view text) {
  Parser p(text);
  size_t root = p.find_tag("bmap");
  if (root == std::string::npos) return bad_input("bmap: no <bmap> element: not a bmap file");
  auto version = p.attribute(root, "version");
  if (!version) return p.error_at(root, "<bmap> has no version");
  int major = version->empty() ? 0 : std::atoi(version->c_str());
  if (major < 1 || major > 2 || version->find_first_not_of("0123456789.") != std::string::npos)
    return p.error_at(root, fmt::format("bmap version '{}' is not supported (1.x and 2.x are)", *version));

  Bmap bmap;
  auto image_size = p.required_number("ImageSize");
  if (!image_size) return image_size.error();
  auto block_size = p.required_number("BlockSize");
  if (!block_size) return block_size.error();
  if (*block_size == 0 || *block_size > (1u << 30)) return bad_input(fmt::format("bmap: block size {} is not usable", *block_size));
  bmap.image_size = *image_size;
  bmap.block_size = static_cast<uint32_t>(*block_size);
  auto blocks = p.required_number("BlocksCount");
  if (!blocks) return blocks.error();
  if (*blocks != bmap.blocks_count())
    return bad_input(fmt::format("bmap: BlocksCount {} does not match ImageSize {} with BlockSize {}", *blocks,
                                 bmap.image_size, bmap.block_size));

  std::string_view sum_attribute = "sha1";
  bmap.checksum_type = "sha1";
  if (major == 2) {
    auto type = p.optional_element("ChecksumType");
    if (!type) return type.error();
    if (!*type) return bad_input("bmap: no <ChecksumType>");
    bmap.checksum_type = std::string(trim((*type)->body));
    if (digest_length(bmap.checksum_type) == 0)
      return p.error_at((*type)->tag, fmt::format("checksum type '{}' is not supported (sha256 and sha1 are)", bmap.checksum_type));
    sum_attribute = "chksum";
  }
  auto file_sum = p.optional_element(major == 2 ? "BmapFileChecksum" : "BmapFileSHA1");
  if (!file_sum) return file_sum.error();
  if (*file_sum) bmap.file_checksum = std::string(trim((*file_sum)->body));

  auto ranges = parse_ranges(p, bmap, sum_attribute);
  if (!ranges) return ranges.error();
  bmap.ranges = std::move(*ranges);

  auto mapped = p.required_number("MappedBlocksCount");
  if (!mapped) return mapped.error();
  if (*mapped != bmap.mapped_blocks())
    return bad_input(fmt::format("bmap: MappedBlocksCount {} but the ranges hold {} blocks", *mapped, bmap.mapped_blocks()));
  return bmap;
}

std::string format_bmap(const Bmap& bmap, std::string_view file_checksum) {
  uint64_t mapped = bmap.mapped_blocks();
  double percent = bmap.blocks_count() ? 100.0 * static_cast<double>(mapped) / static_cast<double>(bmap.blocks_count()) : 0;
  std::string out = fmt::format(
      "<?xml version=\"1.0\" ?>\n"
      "<!-- The block map of an image: the blocks that hold data, each range with the\n"
      "     sha256 of its bytes. Written by beowulf image; read by bmaptool copy. -->\n"
      "<bmap version=\"2.0\">\n"
      "    <!-- Image size in bytes: {} -->\n"
      "    <ImageSize> {} </ImageSize>\n\n"
      "    <!-- Size of a block in bytes -->\n"
      "    <BlockSize> {} </BlockSize>\n\n"
      "    <!-- Count of blocks in the image file -->\n"
      "    <BlocksCount> {} </BlocksCount>\n\n"
      "    <!-- Count of mapped blocks: {} or {:.1f}% -->\n"
      "    <MappedBlocksCount> {} </MappedBlocksCount>\n\n"
      "    <!-- Type of checksum used in this file -->\n"
      "    <ChecksumType> {} </ChecksumType>\n\n"
      "    <!-- The checksum of this bmap file, computed with this value all \"0\" -->\n"
      "    <BmapFileChecksum> {} </BmapFileChecksum>\n\n"
      "    <BlockMap>\n",
      human_size(bmap.image_size), bmap.image_size, bmap.block_size, bmap.blocks_count(),
      human_size(mapped * bmap.block_size), percent, mapped, bmap.checksum_type, file_checksum);
  for (const auto& r : bmap.ranges) {
    std::string blocks = r.first == r.last ? fmt::format("{}", r.first) : fmt::format("{}-{}", r.first, r.last);
    out += r.sha256.empty() ? fmt::format("        <Range> {} </Range>\n", blocks)
                            : fmt::format("        <Range chksum=\"{}\"> {} </Range>\n", r.sha256, blocks);
  }
  out += "    </BlockMap>\n</bmap>\n";
  return out;
}

std::string zero_file_checksum(std::string_view text) {
  std::string out(text);
  for (std::string_view name : {"BmapFileChecksum", "BmapFileSHA1"}) {
    std::string open = "<" + std::string(name) + ">";
    size_t at = out.find(open);
    if (at == std::string::npos) continue;
    size_t begin = at + open.size();
    size_t end = out.find("</" + std::string(name) + ">", begin);
    if (end == std::string::npos) continue;
    std::string value(trim(std::string_view(out).substr(begin, end - begin)));
    size_t value_at = out.find(value, begin);
    if (value.empty() || value_at >= end) continue;
    out.replace(value_at, value.size(), std::string(value.size(), '0'));
  }
  return out;
}

}  // namespace beowulf
