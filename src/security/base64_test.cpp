#include <gtest/gtest.h>

#include "security/base64url.hpp"

namespace b2w::security {
namespace {

// RFC 4648 §10's test vectors.
TEST(Base64, EncodesTheRfcVectors) {
  EXPECT_EQ(base64_encode(""), "");
  EXPECT_EQ(base64_encode("f"), "Zg==");
  EXPECT_EQ(base64_encode("fo"), "Zm8=");
  EXPECT_EQ(base64_encode("foo"), "Zm9v");
  EXPECT_EQ(base64_encode("foob"), "Zm9vYg==");
  EXPECT_EQ(base64_encode("fooba"), "Zm9vYmE=");
  EXPECT_EQ(base64_encode("foobar"), "Zm9vYmFy");
  EXPECT_EQ(base64_encode(std::string("\0user\0pass", 10)), "AHVzZXIAcGFzcw==");  // SMTP AUTH PLAIN
}

}  // namespace
}  // namespace b2w::security
