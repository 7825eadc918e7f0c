#include "image/host_key_pair.h"

#include <fmt/core.h>

#include <fstream>
#include <iterator>

#include "sys/process.h"
#include "sys/temp_dir.h"

namespace beowulf::image {
namespace {

std::string read_all(const std::string& file) {
  std::ifstream in(file, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

std::string first_line(std::string text) { return text.substr(0, text.find('\n')); }

}  // namespace

std::string HostKeyPair::key_only() const {
  auto first = public_key.find(' ');
  auto second = first == std::string::npos ? first : public_key.find(' ', first + 1);
  return public_key.substr(0, second);
}

Result<HostKeyPair> make_host_key(const std::string& hostname) {
  sys::TempDir dir("beowulf-hostkey");
  if (dir.path().empty()) return Error{"make a host key: cannot make a temporary folder"};
  std::string file = dir.path() + "/ssh_host_ed25519_key";
  auto made = sys::run({.argv = {"ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "root@" + hostname, "-f", file}});
  if (!made) return Error{fmt::format("make a host key: {}", made.error().message()), {}, "install openssh-client"};
  if (!made->ok()) return Error{fmt::format("make a host key: ssh-keygen failed: {}", first_line(made->err))};
  auto listed = sys::run({.argv = {"ssh-keygen", "-l", "-E", "sha256", "-f", file + ".pub"}});
  if (!listed || !listed->ok()) return Error{"make a host key: ssh-keygen -l could not read the key it made"};
  // "256 SHA256:abc... root@worker001 (ED25519)"
  std::string line = first_line(listed->out);
  auto start = line.find("SHA256:");
  if (start == std::string::npos) return Error{fmt::format("make a host key: no fingerprint in '{}'", line)};
  HostKeyPair key{read_all(file), first_line(read_all(file + ".pub")), line.substr(start, line.find(' ', start) - start)};
  return key;
}

}  // namespace beowulf::image
