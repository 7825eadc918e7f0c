#pragma once
// The members of a plain struct (an aggregate), one by one, without the user naming
// them: so that a struct with padding or with `long` members is sent member by member
// in the portable encoding, and its padding bytes are never sent or hashed.
//
// How: the number of members is the largest N for which `T{x1, ..., xN}` compiles with
// values that convert to anything; the members are then bound with a structured binding
// of N names. Limit: a struct with a C array member counts each array element as a member
// (brace elision) and then does not compile here; give such a struct `serialize` and
// `deserialize` functions (see serialize.h), or make it free of padding and floats.

#include <cstddef>
#include <type_traits>
#include <utility>

namespace beowulf::detail {

inline constexpr std::size_t kMaxFields = 12;

/// Converts to any type; used only in unevaluated operands, never defined.
struct AnyField {
  template <typename U>
  operator U() const noexcept;  // NOLINT: implicit on purpose
};

template <typename T, typename... A>
constexpr std::size_t count_fields() {
  if constexpr (sizeof...(A) > kMaxFields) {
    return kMaxFields + 1;
  } else if constexpr (requires { T{std::declval<A>()..., std::declval<AnyField>()}; }) {
    return count_fields<T, A..., AnyField>();
  } else {
    return sizeof...(A);
  }
}

/// Members of aggregate T, or kMaxFields + 1 when there are too many to bind.
template <typename T>
inline constexpr std::size_t field_count = count_fields<std::remove_cv_t<T>>();

/// Calls f(member1, member2, ...) with references to the members of `v`.
template <typename T, typename F>
decltype(auto) with_fields(T& v, F&& f) {
  constexpr std::size_t n = field_count<T>;
  static_assert(n >= 1 && n <= kMaxFields,
                "beowulf: this struct has no members or more than 12: give it serialize(Writer&, "
                "const T&) and deserialize(Reader&, T&) functions");
  // clang-format off
  if constexpr (n == 1) { auto& [a] = v; return f(a); }
  else if constexpr (n == 2) { auto& [a, b] = v; return f(a, b); }
  else if constexpr (n == 3) { auto& [a, b, c] = v; return f(a, b, c); }
  else if constexpr (n == 4) { auto& [a, b, c, d] = v; return f(a, b, c, d); }
  else if constexpr (n == 5) { auto& [a, b, c, d, e] = v; return f(a, b, c, d, e); }
  else if constexpr (n == 6) { auto& [a, b, c, d, e, g] = v; return f(a, b, c, d, e, g); }
  else if constexpr (n == 7) { auto& [a, b, c, d, e, g, h] = v; return f(a, b, c, d, e, g, h); }
  else if constexpr (n == 8) { auto& [a, b, c, d, e, g, h, i] = v; return f(a, b, c, d, e, g, h, i); }
  else if constexpr (n == 9) { auto& [a, b, c, d, e, g, h, i, j] = v; return f(a, b, c, d, e, g, h, i, j); }
  else if constexpr (n == 10) { auto& [a, b, c, d, e, g, h, i, j, k] = v; return f(a, b, c, d, e, g, h, i, j, k); }
  else if constexpr (n == 11) { auto& [a, b, c, d, e, g, h, i, j, k, l] = v; return f(a, b, c, d, e, g, h, i, j, k, l); }
  else { auto& [a, b, c, d, e, g, h, i, j, k, l, m] = v; return f(a, b, c, d, e, g, h, i, j, k, l, m); }
  // clang-format on
}

template <typename... M>
struct TypeList {};

struct CollectTypes {
  template <typename... M>
  TypeList<std::remove_cvref_t<M>...> operator()(M&...) const {
    return {};
  }
};

/// TypeList of the member types of aggregate T.
template <typename T>
using FieldTypes = decltype(with_fields(std::declval<T&>(), CollectTypes{}));

}  // namespace beowulf::detail
