#include "image/password_hash.h"

#include <crypt.h>
#include <gtest/gtest.h>

namespace beowulf::image {
namespace {

TEST(PasswordHash, IsAYescryptHashThatChecksThePasswordAndHidesIt) {
  auto hash = hash_password("a secret");
  ASSERT_TRUE(hash.ok()) << hash.error().message();
  EXPECT_EQ(hash->rfind("$y$", 0), 0u) << *hash;
  EXPECT_EQ(hash->find("a secret"), std::string::npos);
  EXPECT_EQ(std::string(crypt("a secret", hash->c_str())), *hash);   // what login does
  EXPECT_NE(std::string(crypt("another", hash->c_str())), *hash);
  EXPECT_NE(*hash_password("a secret"), *hash);  // a fresh salt each time
}

TEST(PasswordHash, RefusesAnEmptyPasswordOrANewline) {
  EXPECT_EQ(hash_password("").error().message(), "the password is empty");
  EXPECT_EQ(hash_password("a\nb").error().message(), "the password holds a newline or a NUL byte");
}

}  // namespace
}  // namespace beowulf::image
