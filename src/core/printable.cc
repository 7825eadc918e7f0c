#include "core/printable.h"

namespace beowulf {

std::string printable(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    auto c = static_cast<unsigned char>(text[i]);
    bool c1 = c == 0xC2 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) >= 0x80 &&
              static_cast<unsigned char>(text[i + 1]) <= 0x9F;  // U+0080..U+009F in UTF-8
    if (c1) {
      out += '?';
      ++i;
    } else if ((c < 0x20 && c != '\t' && c != '\n') || c == 0x7F) {
      out += '?';
    } else {
      out += text[i];
    }
  }
  return out;
}

}  // namespace beowulf
