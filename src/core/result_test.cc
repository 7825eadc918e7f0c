#include "core/result.h"

#include <gtest/gtest.h>

#include <string>

namespace beowulf {
namespace {

Result<int> parse_digit(char c) {
  if (c < '0' || c > '9') return bad_input(std::string("not a digit: ") + c, "use 0-9");
  return c - '0';
}

TEST(Result, HoldsTheValueWhenOk) {
  auto r = parse_digit('7');
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, 7);
}

TEST(Result, HoldsTheErrorWithItsHintAndKind) {
  auto r = parse_digit('x');
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message(), "not a digit: x");
  EXPECT_EQ(r.error().hint, "use 0-9");
  EXPECT_EQ(r.error().kind, ErrorKind::bad_input);
}

TEST(Error, MessageNamesTheNodeFirst) {
  Error e{"set hostname: sudo asked for a password", "worker002 (198.18.0.12)", ""};
  EXPECT_EQ(e.message(), "worker002 (198.18.0.12): set hostname: sudo asked for a password");
}

TEST(Status, DefaultIsOk) {
  Status s;
  EXPECT_TRUE(s.ok());
  Status f = Error{"boom", "", ""};
  EXPECT_FALSE(f.ok());
}

}  // namespace
}  // namespace beowulf
