#include "payments/paystack.hpp"

#include <gtest/gtest.h>

using b2w::payments::PaystackClient;
using b2w::payments::PaystackOptions;

TEST(PaystackSignature, HmacSha512HexInConstantTime) {
  PaystackOptions o;
  o.secret_key = "sk_test_secret";
  PaystackClient client(o);
  const std::string body = R"({"event":"charge.success","data":{"reference":"dep-1","amount":50000}})";
  const auto sig = PaystackClient::sign("sk_test_secret", body);
  EXPECT_EQ(sig.size(), 128u);
  EXPECT_TRUE(client.signature_valid(body, sig));
  std::string upper = sig;
  for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  EXPECT_TRUE(client.signature_valid(body, upper));
  EXPECT_FALSE(client.signature_valid(body + " ", sig));
  EXPECT_FALSE(client.signature_valid(body, PaystackClient::sign("sk_test_other", body)));
  EXPECT_FALSE(client.signature_valid(body, ""));
  EXPECT_FALSE(client.signature_valid(body, sig.substr(0, 127)));
  // Known answer (openssl dgst -sha512 -hmac key): guards against a wrong digest or encoding.
  EXPECT_EQ(PaystackClient::sign("key", "The quick brown fox jumps over the lazy dog"),
            "b42af09057bac1e2d41708e48a902e09b5ff7f12ab428a4fe86653c73dd248fb82f948a549f7b791a5b41915ee4d1ec3935357e4e2"
            "317250d0372afa2ebeeb3a");
}
