#include "security/scram.hpp"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

using b2w::security::scram_sha256_verifier;

TEST(Scram, MatchesAnIndependentComputation) {
  // Python: hashlib.pbkdf2_hmac('sha256', pw, bytes(range(16)), 4096), then RFC 5802's keys.
  std::string salt;
  for (char c = 0; c < 16; ++c) salt += c;
  EXPECT_EQ(scram_sha256_verifier("correct-horse-battery-staple", salt),
            "SCRAM-SHA-256$4096:AAECAwQFBgcICQoLDA0ODw==$kWNFaTEPbUt9WrpDQi/SVLi++w5hBzrJjZHv9AoFZlM=:"
            "thnlKrViH0JqoSdbWrksVs+mYMBgtGd1lhG9C8ym4xQ=");
}

TEST(Scram, RandomSaltsAndTheShapePostgresqlStores) {
  const auto a = scram_sha256_verifier("Secret123");
  const auto b = scram_sha256_verifier("Secret123");
  EXPECT_NE(a, b) << "salted";
  EXPECT_EQ(a.rfind("SCRAM-SHA-256$4096:", 0), 0u) << a;
  EXPECT_EQ(a.find("Secret123"), std::string::npos);
}

TEST(Scram, RefusesWhatSaslprepWouldChange) {
  EXPECT_THROW(scram_sha256_verifier(""), std::invalid_argument);
  EXPECT_THROW(scram_sha256_verifier("two words"), std::invalid_argument);
  EXPECT_THROW(scram_sha256_verifier("caf\xc3\xa9"), std::invalid_argument);
}
