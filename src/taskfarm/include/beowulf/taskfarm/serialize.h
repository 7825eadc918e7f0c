#pragma once
// Serialization of task and result values into byte buffers, the body of one MPI message
// or one journal record. Built in: trivially copyable types (copied as bytes),
// std::string, std::vector and std::optional of serializable types, std::pair.
// A user type opts in with two functions found by argument-dependent lookup:
//
//   void serialize(beowulf::Writer& w, const Tile& t) { w << t.x << t.y << t.name; }
//   void deserialize(beowulf::Reader& r, Tile& t) { r >> t.x >> t.y >> t.name; }
//
// Bytes are in the machine's own order: every rank of a job runs the same binary.

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

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
    } else if constexpr (std::is_trivially_copyable_v<T>) {
      bytes(&value, sizeof(T));
    } else {
      put_container(value);
    }
  }

 private:
  void put_container(const std::string& s) {
    put<std::uint64_t>(s.size());
    bytes(s.data(), s.size());
  }
  template <typename T>
  void put_container(const std::vector<T>& v) {
    put<std::uint64_t>(v.size());
    if constexpr (std::is_trivially_copyable_v<T> && !HasSerializeHook<T>) {
      bytes(v.data(), v.size() * sizeof(T));
    } else {
      for (const T& item : v) put(item);
    }
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
                  "beowulf: this type is not serializable: give it serialize(Writer&, const T&) "
                  "and deserialize(Reader&, T&) functions");
  }

  std::vector<char>& out_;
};

/// Reads values back from a byte range it does not own. Throws DecodeError when the
/// range ends before the value does.
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
    } else if constexpr (std::is_trivially_copyable_v<T>) {
      bytes(&value, sizeof(T));
    } else {
      get_container(value);
    }
  }

 private:
  void need(std::size_t size) const {
    if (size > remaining()) throw DecodeError("message ends before the value does");
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
    if constexpr (std::is_trivially_copyable_v<T> && !HasSerializeHook<T>) {
      v.resize(count(sizeof(T)));
      bytes(v.data(), v.size() * sizeof(T));
    } else {
      // Each element takes at least one byte, except empty types: no bound for them.
      v.resize(count(std::is_empty_v<T> ? 0 : 1));
      for (T& item : v) get(item);
    }
  }
  template <typename T>
  void get_container(std::optional<T>& o) {
    if (get<std::uint8_t>()) {
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
