#pragma once
// The layout fingerprint of a farm's task and result types: what the wire encoding of
// each looks like (serialize.h), hashed. Ranks compare it at start-up (handshake.h) and
// a journal keeps it in its header (journal.h), so that bytes written for one pair of
// types are never read as another.
//
// Scalars are described by their wire form (so a `long` is the same on armhf and x86_64),
// a struct sent as raw bytes by its name and size (so a struct holding a `long` is not),
// a struct sent by members by its members, a type with serialize hooks by its name.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <typeinfo>
#include <utility>
#include <vector>

#include "beowulf/taskfarm/fields.h"
#include "beowulf/taskfarm/serialize.h"

namespace beowulf {
namespace detail {

template <typename T>
struct Describe;

template <typename T>
std::string describe() {
  return Describe<T>::text();
}

template <typename... M>
std::string describe_members(TypeList<M...>) {
  std::string out;
  ((out += describe<M>() + ","), ...);
  return out;
}

template <typename T>
struct Describe {
  static std::string text() {
    if constexpr (HasSerializeHook<T>) {
      return std::string("hook:") + typeid(T).name();
    } else if constexpr (wire::Scalar<T>) {
      // Plain char is signed on x86 and unsigned on ARM: the same byte on the wire either way.
      const char* kind = std::is_same_v<T, bool> ? "b" : std::is_same_v<T, char> ? "c"
                         : std::is_floating_point_v<T> ? "f" : std::is_enum_v<T> ? "e"
                         : std::is_signed_v<T> ? "i" : "u";
      return kind + std::to_string(wire::scalar_size<T>());
    } else if constexpr (wire::RawBytes<T>) {
      return "raw" + std::to_string(sizeof(T)) + ":" + typeid(T).name();
    } else if constexpr (wire::ByMembers<T>) {
      return std::string(typeid(T).name()) + "{" + describe_members(FieldTypes<T>{}) + "}";
    } else {
      return std::string("?") + typeid(T).name();  // not serializable: will not compile anyway
    }
  }
};
template <>
struct Describe<std::string> {
  static std::string text() { return "str"; }
};
template <typename E>
struct Describe<std::vector<E>> {
  static std::string text() { return "vec(" + describe<E>() + ")"; }
};
template <typename E, std::size_t N>
struct Describe<std::array<E, N>> {
  static std::string text() { return "arr" + std::to_string(N) + "(" + describe<E>() + ")"; }
};
template <typename E>
struct Describe<std::optional<E>> {
  static std::string text() { return "opt(" + describe<E>() + ")"; }
};
template <typename A, typename B>
struct Describe<std::pair<A, B>> {
  static std::string text() { return "pair(" + describe<A>() + "," + describe<B>() + ")"; }
};

}  // namespace detail

/// The fingerprint of a farm of Task -> Result, the same on every machine whose wire
/// encoding of the two types is the same.
template <typename Task, typename Result>
std::uint64_t layout_fingerprint() {
  std::string text = detail::describe<Task>() + "->" + detail::describe<Result>();
  return fnv1a(text.data(), text.size());
}

}  // namespace beowulf
