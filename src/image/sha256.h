#pragma once
// Sha256: the running sha256 of a stream of bytes (OpenSSL's libcrypto), as bmap
// files carry it: lower-case hex.

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

namespace beowulf::image {

class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(Sha256&&) noexcept;
  Sha256& operator=(Sha256&&) noexcept;

  void update(const void* data, size_t size);
  /// The hex digest of everything updated so far; the hash restarts empty afterwards.
  std::string hex();

  /// The hex sha256 of `data`.
  static std::string of(std::string_view data);

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace beowulf::image
