#include "image/password_hash.h"

#include <crypt.h>

#include <cstring>
#include <memory>

namespace beowulf::image {

Result<std::string> hash_password(std::string_view password) {
  if (password.empty()) return bad_input("the password is empty");
  if (password.find('\n') != std::string_view::npos || password.find('\0') != std::string_view::npos)
    return bad_input("the password holds a newline or a NUL byte");
  char salt[CRYPT_GENSALT_OUTPUT_SIZE];
  if (!crypt_gensalt_rn("$y$", 0, nullptr, 0, salt, sizeof salt)) return Error{"hash the password: libcrypt has no yescrypt"};
  auto data = std::make_unique<crypt_data>();
  std::string text(password);
  const char* hash = crypt_r(text.c_str(), salt, data.get());
  explicit_bzero(text.data(), text.size());
  if (!hash || hash[0] == '*') return Error{"hash the password: crypt failed"};
  std::string out = hash;
  explicit_bzero(data.get(), sizeof *data);
  return out;
}

}  // namespace beowulf::image
