#pragma once
// Serialization of task and result values into byte buffers, the body of one MPI message
// or one journal record. The encoding is the same on every machine (the portable wire),
// so an armhf board and an x86_64 master can share a job and a journal:
//   - integers, enums and bool: little-endian, fixed width; `long` and `unsigned long`
//     always take 8 bytes, and a value that does not fit the receiver's type is a
//     DecodeError (size_t is unsigned int on 32-bit boards, 4 bytes there: the layout
//     check refuses a cluster that mixes them; send std::uint64_t); float and double:
//     IEEE, little-endian;
//   - std::string, std::vector, std::array, std::optional, std::pair: a u64 length,
//     then the elements;
//   - a struct with no padding and no floats (std::has_unique_object_representations):
//     its bytes, as they are in memory (its size is in the layout check, layout.h);
//   - any other plain struct (an aggregate): member by member (fields.h), so padding is
//     never sent and never hashed;
//   - a user type through two functions found by argument-dependent lookup:
//
//   void serialize(beowulf::Writer& w, const Tile& t) { w << t.x << t.y << t.name; }
//   void deserialize(beowulf::Reader& r, Tile& t) { r >> t.x >> t.y >> t.name; }
//
// A type that fits none of these (a class with padding and no hook, long double) does
// not compile, with a message saying to add the two functions.

#include <algorithm>
#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <optional>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "beowulf/taskfarm/fields.h"

namespace beowulf {

class Writer;
class Reader;

/// A message or journal record that does not decode as the type asked for.
struct DecodeError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// The user hook: `serialize(Writer&, const T&)` and `deserialize(Reader&, T&)` by ADL.
template <typename T>
concept HasSerializeHook = requires(Writer& w, Reader& r, const T& c, T& m) {
  serialize(w, c);
  deserialize(r, m);
};

namespace wire {

/// Integers, enums, bool, float and double: encoded on their own, little-endian.
template <typename T>
concept Scalar = (std::is_arithmetic_v<T> || std::is_enum_v<T>) && !HasSerializeHook<T>;

/// A class sent as its bytes: trivially copyable, no padding bits, no floats.
template <typename T>
concept RawBytes = std::is_class_v<T> && !HasSerializeHook<T> && std::is_trivially_copyable_v<T> &&
                   std::has_unique_object_representations_v<T>;

/// A plain struct sent member by member (it has padding or floats).
template <typename T>
concept ByMembers = std::is_class_v<T> && !HasSerializeHook<T> && !RawBytes<T> &&
                    std::is_aggregate_v<T> && std::is_trivially_copyable_v<T>;

/// Bytes of a scalar on the wire: its own size, but 8 for long and unsigned long, whose
/// size differs between 32- and 64-bit machines.
template <typename T>
constexpr std::size_t scalar_size() {
  if constexpr (std::is_enum_v<T>) {
    return scalar_size<std::underlying_type_t<T>>();
  } else if constexpr (std::is_same_v<T, long> || std::is_same_v<T, unsigned long>) {
    return 8;
  } else {
    static_assert(!std::is_same_v<T, long double>,
                  "beowulf: long double differs between machines: send a double, or give the type "
                  "serialize(Writer&, const T&) and deserialize(Reader&, T&) functions");
    return sizeof(T);
  }
}

/// Whether a T is on the wire exactly as in memory, so that a vector of them is one copy.
template <typename T>
constexpr bool same_in_memory() {
  if constexpr (Scalar<T>) {
    return std::endian::native == std::endian::little && scalar_size<T>() == sizeof(T) &&
           !std::is_same_v<T, bool>;
  } else {
    return RawBytes<T>;
  }
}

/// The 64-bit wire value of an 8-byte scalar as a T (a 4-byte long on a 32-bit
/// machine); DecodeError when it does not fit.
template <typename T>
T narrow(std::uint64_t bits) {
  if constexpr (sizeof(T) >= 8) {
    return static_cast<T>(bits);
  } else if constexpr (std::is_signed_v<T>) {
    auto v = static_cast<std::int64_t>(bits);
    if (v < std::numeric_limits<T>::min() || v > std::numeric_limits<T>::max())
      throw DecodeError("a value of " + std::to_string(v) + " does not fit in " +
                        std::to_string(sizeof(T)) + " bytes");
    return static_cast<T>(v);
  } else {
    if (bits > std::numeric_limits<T>::max())
      throw DecodeError("a value of " + std::to_string(bits) + " does not fit in " +
                        std::to_string(sizeof(T)) + " bytes");
    return static_cast<T>(bits);
  }
}

}  // namespace wire

/// Appends values to a byte buffer it does not own.
class Writer {
 public:
  explicit Writer(std::vector<char>& out) : out_(out) {}

  void bytes(const void* data, std::size_t size) {
    const char* p = static_cast<const char*>(data);
    out_.insert(out_.end(), p, p + size);
  }

  template <typename T>
  Writer& operator<<(const T& value) {
    put(value);
    return *this;
  }

  template <typename T>
  void put(const T& value) {
    if constexpr (HasSerializeHook<T>) {
      serialize(*this, value);
    } else if constexpr (wire::Scalar<T>) {
      put_scalar(value);
    } else if constexpr (wire::RawBytes<T>) {
      bytes(&value, sizeof(T));
    } else if constexpr (wire::ByMembers<T>) {
      detail::with_fields(value, [this](const auto&... member) { (put(member), ...); });
    } else {
      put_container(value);
    }
  }

 private:
  template <typename T>
  void put_scalar(const T& value) {
    constexpr std::size_t n = wire::scalar_size<T>();
    if constexpr (wire::same_in_memory<T>()) {
      bytes(&value, n);
    } else if constexpr (std::is_floating_point_v<T>) {
      char b[sizeof(T)];
      std::memcpy(b, &value, sizeof(T));
      if constexpr (std::endian::native == std::endian::big) std::reverse(b, b + sizeof(T));
      bytes(b, sizeof(T));
    } else {
      // Two's complement, sign-extended to 64 bits, then the low n bytes in order.
      auto bits = static_cast<std::uint64_t>(value);
      char b[n];
      for (std::size_t i = 0; i < n; ++i) b[i] = static_cast<char>((bits >> (8 * i)) & 0xff);
      bytes(b, n);
    }
  }

  void put_container(const std::string& s) {
    put<std::uint64_t>(s.size());
    bytes(s.data(), s.size());
  }
  template <typename T>
  void put_container(const std::vector<T>& v) {
    put<std::uint64_t>(v.size());
    if constexpr (wire::same_in_memory<T>()) {
      bytes(v.data(), v.size() * sizeof(T));
    } else {
      for (const T& item : v) put(item);
    }
  }
  template <typename T, std::size_t N>
  void put_container(const std::array<T, N>& a) {
    for (const T& item : a) put(item);
  }
  template <typename T>
  void put_container(const std::optional<T>& o) {
    put<std::uint8_t>(o ? 1 : 0);
    if (o) put(*o);
  }
  template <typename A, typename B>
  void put_container(const std::pair<A, B>& p) {
    put(p.first);
    put(p.second);
  }
  template <typename T>
  void put_container(const T&) {
    static_assert(sizeof(T) == 0,
                  "beowulf: this type is not serializable (a class with padding, or not a plain "
                  "struct): give it serialize(Writer&, const T&) and deserialize(Reader&, T&) functions");
  }

  std::vector<char>& out_;
};

/// Reads values back from a byte range it does not own. Throws DecodeError when the
/// range ends before the value does, or a value does not fit the type asked for.
class Reader {
 public:
  Reader(const char* data, std::size_t size) : at_(data), end_(data + size) {}

  std::size_t remaining() const { return static_cast<std::size_t>(end_ - at_); }
  const char* position() const { return at_; }

  void bytes(void* data, std::size_t size) {
    need(size);
    if (size) std::memcpy(data, at_, size);
    at_ += size;
  }

  /// Skips `size` bytes and returns where they start.
  const char* skip(std::size_t size) {
    need(size);
    const char* start = at_;
    at_ += size;
    return start;
  }

  template <typename T>
  Reader& operator>>(T& value) {
    get(value);
    return *this;
  }

  template <typename T>
  T get() {
    T value{};
    get(value);
    return value;
  }

  template <typename T>
  void get(T& value) {
    if constexpr (HasSerializeHook<T>) {
      deserialize(*this, value);
    } else if constexpr (wire::Scalar<T>) {
      get_scalar(value);
    } else if constexpr (wire::RawBytes<T>) {
      bytes(&value, sizeof(T));
    } else if constexpr (wire::ByMembers<T>) {
      detail::with_fields(value, [this](auto&... member) { (get(member), ...); });
    } else {
      get_container(value);
    }
  }

 private:
  void need(std::size_t size) const {
    if (size > remaining()) throw DecodeError("message ends before the value does");
  }

  template <typename T>
  void get_scalar(T& value) {
    constexpr std::size_t n = wire::scalar_size<T>();
    if constexpr (wire::same_in_memory<T>()) {
      bytes(&value, n);
    } else if constexpr (std::is_floating_point_v<T>) {
      char b[sizeof(T)];
      bytes(b, sizeof(T));
      if constexpr (std::endian::native == std::endian::big) std::reverse(b, b + sizeof(T));
      std::memcpy(&value, b, sizeof(T));
    } else if constexpr (std::is_same_v<T, bool>) {
      auto b = get<std::uint8_t>();
      if (b > 1) throw DecodeError("a bool that is neither 0 nor 1");
      value = b == 1;
    } else if constexpr (std::is_enum_v<T>) {
      value = static_cast<T>(get<std::underlying_type_t<T>>());
    } else {
      unsigned char b[n];
      bytes(b, n);
      std::uint64_t bits = 0;
      for (std::size_t i = 0; i < n; ++i) bits |= std::uint64_t{b[i]} << (8 * i);
      if constexpr (std::is_signed_v<T> && n < 8) {
        if ((bits >> (8 * n - 1)) & 1) bits |= ~std::uint64_t{0} << (8 * n);  // sign-extend
      }
      value = wire::narrow<T>(bits);
    }
  }

  std::size_t count(std::size_t element_size) {
    auto n = get<std::uint64_t>();
    if (element_size != 0 && n > remaining() / element_size)
      throw DecodeError("message ends before the value does");
    return static_cast<std::size_t>(n);
  }
  void get_container(std::string& s) {
    s.resize(count(1));
    bytes(s.data(), s.size());
  }
  template <typename T>
  void get_container(std::vector<T>& v) {
    if constexpr (wire::same_in_memory<T>()) {
      v.resize(count(sizeof(T)));
      bytes(v.data(), v.size() * sizeof(T));
    } else {
      // Each element takes at least one byte, except empty types: no bound for them.
      v.resize(count(std::is_empty_v<T> ? 0 : 1));
      for (T& item : v) get(item);
    }
  }
  template <typename T, std::size_t N>
  void get_container(std::array<T, N>& a) {
    for (T& item : a) get(item);
  }
  template <typename T>
  void get_container(std::optional<T>& o) {
    auto present = get<std::uint8_t>();
    if (present > 1) throw DecodeError("an optional marked neither 0 nor 1");
    if (present) {
      o.emplace();
      get(*o);
    } else {
      o.reset();
    }
  }
  template <typename A, typename B>
  void get_container(std::pair<A, B>& p) {
    get(p.first);
    get(p.second);
  }

  const char* at_;
  const char* end_;
};

/// FNV-1a, 64 bits: the journal's record checksum and task fingerprint.
inline std::uint64_t fnv1a(const void* data, std::size_t size,
                           std::uint64_t hash = 0xcbf29ce484222325ull) {
  const auto* p = static_cast<const unsigned char*>(data);
  for (std::size_t i = 0; i < size; ++i) hash = (hash ^ p[i]) * 0x100000001b3ull;
  return hash;
}

/// `value` serialized on its own.
template <typename T>
std::vector<char> to_bytes(const T& value) {
  std::vector<char> out;
  Writer(out).put(value);
  return out;
}

/// A `T` read from all of `bytes`; throws DecodeError when they do not hold exactly one.
template <typename T>
T from_bytes(const char* data, std::size_t size) {
  Reader r(data, size);
  T value{};
  r.get(value);
  if (r.remaining() != 0) throw DecodeError("bytes left over after the value");
  return value;
}

}  // namespace beowulf
