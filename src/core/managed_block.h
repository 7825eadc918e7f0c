#pragma once
// The managed block: the lines beowulf owns in a text file that is not its own
// (/etc/hosts, ~/.ssh/config, ~/.ssh/authorized_keys, ~/.ssh/known_hosts), between
//
//     # BEGIN beowulf
//     ...
//     # END beowulf
//
// Every line outside the block stays byte for byte as it was, and applying the same
// block twice gives the same bytes. A marker is a line that is exactly the marker text,
// trailing spaces, tabs and a '\r' allowed. Final newlines:
//  - a block replaced in place ends with a newline exactly when the old one did;
//  - a block added to a text that does not end with a newline first ends that last line
//    with one (the only byte outside the block that changes), and ends with a newline;
//  - removing a block leaves the text around it as it was.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace beowulf {

inline constexpr std::string_view kBlockBegin = "# BEGIN beowulf";
inline constexpr std::string_view kBlockEnd = "# END beowulf";

/// `text` with its block's lines replaced by `lines`, or with a block of `lines` added
/// at the end when it has none. Fails, naming `file` and the line, when the text holds
/// a broken block (BEGIN without END, END without BEGIN, a second BEGIN or block), or
/// when one of `lines` holds a newline or is a marker.
Result<std::string> put_block(std::string_view text, const std::vector<std::string>& lines, std::string_view file);

/// `text` without its block (unchanged when it has none). Fails as put_block does.
Result<std::string> remove_block(std::string_view text, std::string_view file);

/// The lines inside the block, as they are (a '\r' included); nullopt when there is no
/// block. Fails as put_block does.
Result<std::optional<std::vector<std::string>>> read_block(std::string_view text, std::string_view file);

}  // namespace beowulf
