#include "security/password.hpp"

#include <gtest/gtest.h>

using b2w::security::PasswordHasher;

TEST(Password, Argon2idWithOwaspParameters) {
  const auto hash = PasswordHasher::hash("correct horse battery");
  EXPECT_EQ(hash.rfind("$argon2id$v=19$m=19456,t=2,p=1$", 0), 0u) << hash;
  EXPECT_TRUE(PasswordHasher::verify("correct horse battery", hash));
  EXPECT_FALSE(PasswordHasher::verify("correct horse batterY", hash));
  EXPECT_NE(PasswordHasher::hash("correct horse battery"), hash) << "salted";
  EXPECT_FALSE(PasswordHasher::verify("anything", PasswordHasher::decoy_hash()));
  EXPECT_FALSE(PasswordHasher::verify("x", "not a hash"));
}
