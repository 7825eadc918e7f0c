#pragma once
// Base64 (RFC 4648, standard alphabet, with padding): how beowulf carries file contents
// through a remote shell byte for byte, without any quoting to get wrong.

#include <optional>
#include <string>
#include <string_view>

namespace beowulf {

/// The base64 text of `bytes` (no line breaks, as `base64 -w0` writes it).
std::string base64_encode(std::string_view bytes);

/// The bytes `text` encodes; nullopt when it is not padded base64 (whitespace refused).
std::optional<std::string> base64_decode(std::string_view text);

}  // namespace beowulf
