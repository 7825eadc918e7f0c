#include "beowulf/taskfarm/serialize.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <new>
#include <optional>
#include <string>
#include <vector>

namespace demo {

// A user type: not trivially copyable (it holds a string), serialized through the hook.
struct Tile {
  int x = 0, y = 0;
  std::string name;
  bool operator==(const Tile&) const = default;
};
void serialize(beowulf::Writer& w, const Tile& t) { w << t.x << t.y << t.name; }
void deserialize(beowulf::Reader& r, Tile& t) { r >> t.x >> t.y >> t.name; }

}  // namespace demo

namespace beowulf {
namespace {

template <typename T>
T round_trip(const T& value) {
  auto bytes = to_bytes(value);
  return from_bytes<T>(bytes.data(), bytes.size());
}

struct Point {
  double x, y;
  bool operator==(const Point&) const = default;
};

TEST(Serialize, TriviallyCopyableTypesAreTheirBytes) {
  EXPECT_EQ(to_bytes(std::uint32_t{7}).size(), 4u);
  EXPECT_EQ(round_trip(Point{1.5, -2}), (Point{1.5, -2}));
  EXPECT_EQ(round_trip(-42LL), -42LL);
}

TEST(Serialize, StringsAndVectorsAreLengthPrefixed) {
  EXPECT_EQ(to_bytes(std::string("abc")).size(), 8u + 3u);
  EXPECT_EQ(round_trip(std::string("héllo\0x", 8)), std::string("héllo\0x", 8));
  std::vector<std::vector<std::string>> nested{{"a", ""}, {}, {"bcd"}};
  EXPECT_EQ(round_trip(nested), nested);
  std::vector<double> flat{1, 2, 3};
  EXPECT_EQ(to_bytes(flat).size(), 8u + 24u);
  EXPECT_EQ(round_trip(flat), flat);
}

TEST(Serialize, OptionalAndPair) {
  EXPECT_EQ(round_trip(std::optional<std::string>("x")), std::optional<std::string>("x"));
  EXPECT_EQ(round_trip(std::optional<int>()), std::optional<int>());
  EXPECT_EQ(round_trip(std::pair<int, std::string>(3, "three")), (std::pair<int, std::string>(3, "three")));
}

TEST(Serialize, UserTypesGoThroughTheirHook) {
  demo::Tile t{3, 4, "north"};
  EXPECT_EQ(round_trip(t), t);
  EXPECT_EQ(round_trip(std::vector<demo::Tile>{t, {}}), (std::vector<demo::Tile>{t, {}}));
}

TEST(Serialize, ATruncatedMessageIsADecodeErrorNotACrash) {
  auto bytes = to_bytes(std::vector<std::string>{"alpha", "beta"});
  for (std::size_t cut = 0; cut < bytes.size(); ++cut) {
    EXPECT_THROW(from_bytes<std::vector<std::string>>(bytes.data(), cut), DecodeError) << cut;
  }
  // A length that claims more elements than the bytes could hold is refused up front.
  auto huge = to_bytes(std::uint64_t{1} << 60);
  EXPECT_THROW(from_bytes<std::vector<std::uint64_t>>(huge.data(), huge.size()), DecodeError);
}

TEST(Serialize, LeftOverBytesAreAnError) {
  auto bytes = to_bytes(std::uint64_t{1});
  EXPECT_THROW(from_bytes<std::uint32_t>(bytes.data(), bytes.size()), DecodeError);
}

TEST(Serialize, Fnv1aMatchesTheReferenceValues) {
  EXPECT_EQ(fnv1a("", 0), 0xcbf29ce484222325ull);
  EXPECT_EQ(fnv1a("a", 1), 0xaf63dc4c8601ec8cull);
  EXPECT_EQ(fnv1a("foobar", 6), 0x85944171f73967e8ull);
}

struct Padded {
  char c;
  double d;
  bool operator==(const Padded&) const = default;
};

/// A Padded whose padding bytes are all `fill`, used where it lies: a copy need not keep
/// padding (GCC on arm64 copies the members only, and the padding comes out zero).
class PaddedWith {
 public:
  PaddedWith(unsigned char fill, char c, double d) {
    std::memset(storage_, fill, sizeof storage_);
    value_ = new (storage_) Padded;  // default-initialised: the padding keeps `fill`
    value_->c = c;
    value_->d = d;
  }
  const Padded& operator*() const { return *value_; }

 private:
  alignas(Padded) unsigned char storage_[sizeof(Padded)];
  Padded* value_;
};

// A bug fixed: two equal structs with padding got different fingerprints.
TEST(Serialize, PaddingIsNeverSentNorHashed) {
  PaddedWith with_aa(0xaa, 'x', 2.5), with_55(0x55, 'x', 2.5);
  const Padded &a = *with_aa, &b = *with_55;
  ASSERT_EQ(a, b);
  ASSERT_NE(std::memcmp(&a, &b, sizeof a), 0) << "the test needs different padding bytes";
  EXPECT_EQ(to_bytes(a), to_bytes(b));
  EXPECT_EQ(to_bytes(a).size(), 1u + 8u) << "members only";
  EXPECT_EQ(round_trip(a), a);
}

// The wire is the same on every machine: fixed width, little-endian.
TEST(Serialize, IntegersAreLittleEndianAndLongIsAlwaysEightBytes) {
  EXPECT_EQ(to_bytes(std::uint32_t{0x01020304}), (std::vector<char>{4, 3, 2, 1}));
  EXPECT_EQ(to_bytes(-2L), (std::vector<char>{'\xfe', '\xff', '\xff', '\xff', '\xff', '\xff', '\xff', '\xff'}));
  EXPECT_EQ(to_bytes(5UL), to_bytes(std::uint64_t{5}));
  EXPECT_EQ(to_bytes(std::string("ab")), (std::vector<char>{2, 0, 0, 0, 0, 0, 0, 0, 'a', 'b'}));
  EXPECT_EQ(to_bytes(true), (std::vector<char>{1}));
  EXPECT_EQ(round_trip(std::pair<long, unsigned long>(-7, 9)), (std::pair<long, unsigned long>(-7, 9)));
}

TEST(Serialize, AValueTooWideForTheReceiversTypeIsADecodeError) {
  // What an armhf rank (4-byte long) would do with a 64-bit long from an x86_64 one.
  EXPECT_THROW(wire::narrow<std::int32_t>(std::uint64_t{1} << 40), DecodeError);
  EXPECT_THROW(wire::narrow<std::uint32_t>(static_cast<std::uint64_t>(-1)), DecodeError);
  EXPECT_EQ(wire::narrow<std::int32_t>(static_cast<std::uint64_t>(-5)), -5);
  EXPECT_THROW(from_bytes<bool>("\x02", 1), DecodeError);
}

// Padded on 32- and 64-bit machines alike (a long and an int would not be on armhf).
struct WithLong {
  long a;
  char b;
};

TEST(Serialize, AStructWithPaddingGoesByMembersWithItsLongWidened) {
  EXPECT_EQ(to_bytes(WithLong{-1, 2}).size(), 8u + 1u);
  auto back = round_trip(WithLong{-1, 2});
  EXPECT_EQ(back.a, -1);
  EXPECT_EQ(back.b, 2);
}

}  // namespace
}  // namespace beowulf
