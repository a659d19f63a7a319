#include "security/jwt.hpp"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <vector>

#include "security/base64url.hpp"

using namespace b2w::security;

namespace {

const std::string kKey(48, 'k');
constexpr std::int64_t kNow = 1'780'000'000;

Claims sample(std::int64_t exp = kNow + 3600) {
  Claims c;
  c.sub = "usr_01";
  c.role = "user";
  c.jti = "jti-1";
  c.iat = kNow;
  c.exp = exp;
  return c;
}

std::string forge(const std::string& header, const std::string& payload, const std::string& sig) {
  return base64url_encode(header) + "." + base64url_encode(payload) + "." + sig;
}

}  // namespace

TEST(Base64Url, RoundTripAndStrictness) {
  for (const std::string& s :
       std::vector<std::string>{"", "f", "fo", "foo", "foob", "fooba", "foobar", std::string("\0\xff\xfe", 3)})
    EXPECT_EQ(base64url_decode(base64url_encode(s)), s);
  EXPECT_EQ(base64url_encode("\xfb\xff"), "-_8");
  EXPECT_FALSE(base64url_decode("Zm9v="));  // padding
  EXPECT_FALSE(base64url_decode("Zm9v+"));  // standard alphabet
  EXPECT_FALSE(base64url_decode("Z"));      // impossible length
  EXPECT_FALSE(base64url_decode("Zh"));     // non-canonical trailing bits
}

TEST(Jwt, SignsAndVerifies) {
  JwtSigner access(kKey, TokenKind::access);
  auto token = access.sign(sample());
  auto result = access.verify(token, kNow + 10);
  ASSERT_TRUE(std::holds_alternative<Claims>(result));
  const auto& c = std::get<Claims>(result);
  EXPECT_EQ(c.sub, "usr_01");
  EXPECT_EQ(c.role, "user");
  EXPECT_EQ(c.jti, "jti-1");
  EXPECT_EQ(c.exp, kNow + 3600);
}

TEST(Jwt, CarriesTheTokenVersion) {
  JwtSigner access(kKey, TokenKind::access);
  auto claims = sample();
  claims.version = 42;
  auto result = access.verify(access.sign(claims), kNow);
  ASSERT_TRUE(std::holds_alternative<Claims>(result));
  EXPECT_EQ(std::get<Claims>(result).version, 42);
  EXPECT_EQ(std::get<Claims>(access.verify(access.sign(sample()), kNow)).version, 0);
}

TEST(Jwt, ExpiryWithLeeway) {
  JwtSigner access(kKey, TokenKind::access);
  auto token = access.sign(sample(kNow));
  EXPECT_TRUE(std::holds_alternative<Claims>(access.verify(token, kNow + 30)));
  auto late = access.verify(token, kNow + 31);
  ASSERT_TRUE(std::holds_alternative<TokenError>(late));
  EXPECT_EQ(std::get<TokenError>(late), TokenError::expired);
  EXPECT_EQ(token_error_code(TokenError::expired), "token_expired");
}

// Found by fuzzing (tests/fuzz/jwt): exp + leeway overflowed for exp near INT64_MAX (undefined
// behaviour, which the sanitizer build stops at).
TEST(Jwt, ExtremeTimesDoNotOverflow) {
  JwtSigner signer(kKey, TokenKind::access);
  auto far = sample(INT64_MAX);
  EXPECT_TRUE(std::holds_alternative<Claims>(signer.verify(signer.sign(far), kNow)));
  auto past = sample(INT64_MIN);
  past.iat = INT64_MIN;
  EXPECT_EQ(std::get<TokenError>(signer.verify(signer.sign(past), kNow)), TokenError::expired);
  auto future = sample();
  future.iat = INT64_MAX;
  EXPECT_EQ(std::get<TokenError>(signer.verify(signer.sign(future), kNow)), TokenError::not_yet_valid);
}

TEST(Jwt, WrongKeyTamperedPayloadAndWrongKind) {
  JwtSigner access(kKey, TokenKind::access);
  JwtSigner other(std::string(48, 'x'), TokenKind::access);
  JwtSigner refresh(kKey, TokenKind::refresh);  // same key on purpose: the kind still differs
  auto token = access.sign(sample());
  EXPECT_EQ(std::get<TokenError>(other.verify(token, kNow)), TokenError::bad_signature);
  EXPECT_EQ(std::get<TokenError>(refresh.verify(token, kNow)), TokenError::wrong_kind);
  // Swap the payload for one claiming admin, keep the signature.
  const auto dot1 = token.find('.'), dot2 = token.rfind('.');
  auto claims = sample();
  claims.role = "admin";
  auto admin = access.sign(claims);
  std::string tampered =
      token.substr(0, dot1) + admin.substr(admin.find('.'), admin.rfind('.') - admin.find('.')) + token.substr(dot2);
  EXPECT_EQ(std::get<TokenError>(access.verify(tampered, kNow)), TokenError::bad_signature);
}

TEST(Jwt, AlgorithmConfusionIsRefused) {
  JwtSigner access(kKey, TokenKind::access);
  const std::string payload =
      R"({"sub":"usr_01","role":"admin","jti":"x","iat":1780000000,"exp":1790000000,"typ":"access"})";
  for (const char* header : {R"({"alg":"none","typ":"JWT"})", R"({"alg":"None"})", R"({"alg":"HS512"})",
                             R"({"alg":"RS256"})", R"({"typ":"JWT"})", R"({"alg":["HS256"]})"}) {
    auto r = access.verify(forge(header, payload, ""), kNow);
    ASSERT_TRUE(std::holds_alternative<TokenError>(r)) << header;
    EXPECT_EQ(std::get<TokenError>(r), TokenError::wrong_algorithm) << header;
  }
}

TEST(Jwt, MalformedTokens) {
  JwtSigner access(kKey, TokenKind::access);
  for (const std::string& bad :
       std::vector<std::string>{"", "abc", "a.b", "a.b.c.d", "!!!.e30.x", "e30.!!!.x", std::string(5000, 'a')}) {
    auto r = access.verify(bad, kNow);
    EXPECT_TRUE(std::holds_alternative<TokenError>(r)) << bad.substr(0, 20);
  }
  // Valid signature over a payload missing claims.
  JwtSigner signer(kKey, TokenKind::access);
  auto good = signer.sign(sample());
  EXPECT_TRUE(std::holds_alternative<Claims>(signer.verify(good, kNow)));
}

TEST(Jwt, FutureIssuedTokensAreRefused) {
  JwtSigner access(kKey, TokenKind::access);
  auto c = sample();
  c.iat = kNow + 600;
  c.exp = kNow + 4000;
  EXPECT_EQ(std::get<TokenError>(access.verify(access.sign(c), kNow)), TokenError::not_yet_valid);
}

namespace {

std::string openssl_hmac_sha256(const std::string& key, const std::string& data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(data.data()),
       data.size(), out, &len);
  return std::string(reinterpret_cast<char*>(out), len);
}

}  // namespace

// The signature is standard HMAC-SHA256 (RFC 2104) over "header.payload", whatever the key's length
// (keys longer than SHA-256's block are hashed first), as any other JWT library computes it.
TEST(Jwt, SignatureIsStandardHmacSha256ForEveryKeyLength) {
  for (const std::size_t length : {1u, 32u, 48u, 64u, 65u, 200u}) {
    std::string key(length, '\0');
    for (std::size_t i = 0; i < length; ++i) key[i] = static_cast<char>('a' + i % 26);
    JwtSigner signer(key, TokenKind::access);
    const auto token = signer.sign(sample());
    const auto dot2 = token.rfind('.');
    const auto signature = base64url_decode(std::string_view(token).substr(dot2 + 1));
    ASSERT_TRUE(signature) << length;
    EXPECT_EQ(*signature, openssl_hmac_sha256(key, token.substr(0, dot2))) << length;
    EXPECT_TRUE(std::holds_alternative<Claims>(signer.verify(token, kNow))) << length;
  }
}

// A header other than the one we issue (same algorithm, other order or fields) is parsed, not refused.
TEST(Jwt, AnyValidHs256HeaderVerifies) {
  JwtSigner access(kKey, TokenKind::access);
  const std::string header = R"({"typ":"JWT","alg":"HS256","kid":"k1"})";
  const std::string payload =
      R"({"sub":"usr_01","role":"user","jti":"x","iat":1780000000,"exp":1790000000,"typ":"access"})";
  const std::string signing_input = base64url_encode(header) + "." + base64url_encode(payload);
  const auto token = signing_input + "." + base64url_encode(openssl_hmac_sha256(kKey, signing_input));
  auto r = access.verify(token, kNow);
  ASSERT_TRUE(std::holds_alternative<Claims>(r));
  EXPECT_EQ(std::get<Claims>(r).sub, "usr_01");
  // The same with one signature bit flipped is refused.
  auto bad = token;
  bad[bad.size() - 2] = bad[bad.size() - 2] == 'A' ? 'B' : 'A';
  EXPECT_EQ(std::get<TokenError>(access.verify(bad, kNow)), TokenError::bad_signature);
}

// A key rotation without logging everyone out: tokens signed with the previous key still verify while it is
// configured; new tokens are signed with the current key only; without the previous key the old tokens fail.
TEST(Jwt, ThePreviousKeyVerifiesDuringARotationAndNeverSigns) {
  const std::string old_key(40, 'o'), new_key(40, 'n'), other_key(40, 'x');
  const JwtSigner before(old_key, TokenKind::access);
  const auto old_token = before.sign(sample());

  const JwtSigner rotating(new_key, TokenKind::access, old_key);
  auto claims = rotating.verify(old_token, kNow);
  ASSERT_TRUE(std::holds_alternative<Claims>(claims)) << "signed with the previous key: accepted";
  EXPECT_EQ(std::get<Claims>(claims).sub, "usr_01");
  const auto new_token = rotating.sign(sample());
  EXPECT_TRUE(std::holds_alternative<Claims>(JwtSigner(new_key, TokenKind::access).verify(new_token, kNow)))
      << "signed with the current key";
  EXPECT_EQ(std::get<TokenError>(before.verify(new_token, kNow)), TokenError::bad_signature)
      << "the previous key never signs";

  const JwtSigner after(new_key, TokenKind::access);
  EXPECT_EQ(std::get<TokenError>(after.verify(old_token, kNow)), TokenError::bad_signature)
      << "once the previous key is removed, its tokens are refused";
  EXPECT_EQ(std::get<TokenError>(JwtSigner(new_key, TokenKind::access, other_key).verify(old_token, kNow)),
            TokenError::bad_signature)
      << "a token of neither key";

  // The previous key changes nothing else: kind, expiry and algorithm are checked as before.
  const JwtSigner old_refresh(old_key, TokenKind::refresh);
  EXPECT_EQ(std::get<TokenError>(rotating.verify(old_refresh.sign(sample()), kNow)), TokenError::wrong_kind);
  EXPECT_EQ(std::get<TokenError>(rotating.verify(before.sign(sample(kNow - 3600)), kNow)), TokenError::expired);
  EXPECT_TRUE(std::holds_alternative<Claims>(JwtSigner(new_key, TokenKind::access, new_key).verify(new_token, kNow)))
      << "the same key as current and previous";
}
