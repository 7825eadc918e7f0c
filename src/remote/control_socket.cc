#include "remote/control_socket.h"

#include <fmt/core.h>
#include <openssl/evp.h>
#include <unistd.h>

#include <cctype>

namespace beowulf::remote {

std::string control_socket(const std::string& dir, const Target& target, std::string_view local_host) {
  if (target.user.empty()) return {};
  std::string host = target.address;  // ssh compares host names lower-cased
  for (char& c : host) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  std::string joined = fmt::format("{}{}{}{}", local_host, host, target.port, target.user);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  if (EVP_Digest(joined.data(), joined.size(), digest, &size, EVP_sha1(), nullptr) != 1) return {};
  std::string hex;
  for (unsigned int i = 0; i < size; ++i) hex += fmt::format("{:02x}", digest[i]);
  return dir + "/" + hex;
}

std::string local_host_name() {
  char name[256] = {};
  if (::gethostname(name, sizeof name - 1) != 0) return {};
  return name;
}

}  // namespace beowulf::remote
