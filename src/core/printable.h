#pragma once
// Text that came from a node (a hostname, an ssh banner, a stderr line) is printed on the
// user's terminal: an escape sequence in it could move the cursor, retitle the window or
// hide other lines. printable() makes it inert before it is shown.

#include <string>
#include <string_view>

namespace beowulf {

/// `text` with every terminal control character (C0 but tab and newline, DEL, and the C1
/// controls U+0080..U+009F) replaced by '?'; other UTF-8 is kept.
std::string printable(std::string_view text);

}  // namespace beowulf
