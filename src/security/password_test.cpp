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

TEST(Password, NoPasswordMarkerNeverVerifies) {
  const std::string marker(PasswordHasher::kNoPassword);
  EXPECT_FALSE(PasswordHasher::usable(marker));
  EXPECT_TRUE(PasswordHasher::usable(PasswordHasher::decoy_hash()));
  for (const auto* guess : {"", "!no-password", "no-password", "decoy password that never matches anything"})
    EXPECT_FALSE(PasswordHasher::verify(guess, marker)) << guess;
}
