#include "security/google_id_token.hpp"

#include <gtest/gtest.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include <array>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "security/base64url.hpp"

using namespace b2w::security;
namespace json = boost::json;

namespace {

constexpr std::int64_t kNow = 1'780'000'000;
constexpr const char* kClientId = "1234567890-abc.apps.googleusercontent.com";

// Keys are made when the tests run: none is stored in the repository.
EvpPkeyPtr generate_rsa(unsigned bits) {
  EvpPkeyPtr key(EVP_RSA_gen(bits));
  if (!key) throw std::runtime_error("RSA key generation failed");
  return key;
}

const EVP_PKEY* google_key() {
  static const EvpPkeyPtr key = generate_rsa(2048);
  return key.get();
}
const EVP_PKEY* stranger_key() {
  static const EvpPkeyPtr key = generate_rsa(2048);
  return key.get();
}

std::string bn_param(const EVP_PKEY* key, const char* name) {
  BIGNUM* bn = nullptr;
  if (EVP_PKEY_get_bn_param(key, name, &bn) != 1) throw std::runtime_error("no RSA parameter");
  std::string bytes(static_cast<std::size_t>(BN_num_bytes(bn)), '\0');
  BN_bn2bin(bn, reinterpret_cast<unsigned char*>(bytes.data()));
  BN_free(bn);
  return bytes;
}

json::object jwk_of(const EVP_PKEY* key, const std::string& kid) {
  return {{"kty", "RSA"},
          {"kid", kid},
          {"alg", "RS256"},
          {"use", "sig"},
          {"n", base64url_encode(bn_param(key, OSSL_PKEY_PARAM_RSA_N))},
          {"e", base64url_encode(bn_param(key, OSSL_PKEY_PARAM_RSA_E))}};
}

std::string jwks_text(const std::vector<json::value>& keys) {
  json::array array(keys.begin(), keys.end());
  return json::serialize(json::object{{"keys", array}});
}

const GoogleKeySet& google_keys() {
  static const GoogleKeySet set = *GoogleKeySet::parse(jwks_text({jwk_of(google_key(), "google-1")}));
  return set;
}

std::string rs256(const EVP_PKEY* key, const std::string& data) {
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  std::size_t size = 0;
  if (EVP_DigestSignInit_ex(ctx.get(), nullptr, "SHA256", nullptr, nullptr, const_cast<EVP_PKEY*>(key), nullptr) != 1 ||
      EVP_DigestSign(ctx.get(), nullptr, &size, reinterpret_cast<const unsigned char*>(data.data()), data.size()) != 1)
    throw std::runtime_error("signing failed");
  std::string signature(size, '\0');
  EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(signature.data()), &size,
                 reinterpret_cast<const unsigned char*>(data.data()), data.size());
  signature.resize(size);
  return signature;
}

std::string hs256(const std::string& key, const std::string& data) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> mac{};
  unsigned size = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(data.data()),
       data.size(), mac.data(), &size);
  return {reinterpret_cast<const char*>(mac.data()), size};
}

json::object google_claims() {
  return {{"iss", "https://accounts.google.com"},
          {"azp", kClientId},
          {"aud", kClientId},
          {"sub", "110169484474386276334"},
          {"email", "ada@example.com"},
          {"email_verified", true},
          {"name", "Ada Lovelace"},
          {"iat", kNow - 10},
          {"exp", kNow + 3590}};
}

json::object rs256_header(const std::string& kid = "google-1") {
  return {{"alg", "RS256"}, {"kid", kid}, {"typ", "JWT"}};
}

std::string signing_input(const json::object& header, const json::object& claims) {
  return base64url_encode(json::serialize(header)) + "." + base64url_encode(json::serialize(claims));
}

std::string sign(const json::object& claims, const json::object& header = rs256_header(),
                 const EVP_PKEY* key = google_key()) {
  const auto input = signing_input(header, claims);
  return input + "." + base64url_encode(rs256(key, input));
}

std::variant<GoogleClaims, GoogleTokenError> check(const std::string& token, std::int64_t now = kNow) {
  return verify_google_id_token(token, google_keys(), kClientId, now);
}

std::optional<GoogleTokenError> error_of(const std::string& token, std::int64_t now = kNow) {
  auto result = check(token, now);
  if (std::holds_alternative<GoogleClaims>(result)) return std::nullopt;
  return std::get<GoogleTokenError>(result);
}

std::string with(json::object claims, const std::string& key, json::value value) {
  claims[key] = std::move(value);
  return sign(claims);
}

std::string without(json::object claims, const std::string& key) {
  claims.erase(key);
  return sign(claims);
}

// Runs tests/support/google_id_token_vector.py with Debian's Python (python3-jwt, python3-cryptography).
std::string run_python_vector(const std::vector<std::string>& args) {
  std::string command =
      "/usr/bin/python3 '" + std::string(B2W_SOURCE_DIR) + "/tests/support/google_id_token_vector.py'";
  for (const auto& arg : args) command += " '" + arg + "'";  // the arguments hold no quote (JSON of base64url)
  std::unique_ptr<FILE, decltype(&pclose)> pipe(popen(command.c_str(), "r"), pclose);
  if (!pipe) throw std::runtime_error("cannot run python3");
  std::string out;
  std::array<char, 4096> buffer{};
  while (auto n = fread(buffer.data(), 1, buffer.size(), pipe.get())) out.append(buffer.data(), n);
  while (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

}  // namespace

TEST(GoogleIdToken, AcceptsAValidToken) {
  auto result = check(sign(google_claims()));
  ASSERT_TRUE(std::holds_alternative<GoogleClaims>(result))
      << google_token_error_name(std::get<GoogleTokenError>(result));
  const auto& claims = std::get<GoogleClaims>(result);
  EXPECT_EQ(claims.sub, "110169484474386276334");
  EXPECT_EQ(claims.email, "ada@example.com");
  EXPECT_TRUE(claims.email_verified);
  EXPECT_EQ(claims.name, "Ada Lovelace");
  EXPECT_EQ(claims.iss, "https://accounts.google.com");
  EXPECT_EQ(claims.aud, kClientId);
  EXPECT_EQ(claims.iat, kNow - 10);
  EXPECT_EQ(claims.exp, kNow + 3590);
}

TEST(GoogleIdToken, AcceptsTheBareIssuerAnAudienceArrayAndNoName) {
  auto claims = google_claims();
  claims["iss"] = "accounts.google.com";
  claims["aud"] = json::array{"another-client", kClientId};
  claims.erase("name");
  auto result = check(sign(claims));
  ASSERT_TRUE(std::holds_alternative<GoogleClaims>(result));
  EXPECT_EQ(std::get<GoogleClaims>(result).aud, kClientId);
  EXPECT_EQ(std::get<GoogleClaims>(result).name, "");
}

TEST(GoogleIdToken, AcceptsEmailVerifiedAsTheStringTrue) {
  EXPECT_EQ(error_of(with(google_claims(), "email_verified", "true")), std::nullopt);
}

TEST(GoogleIdToken, RefusesAnotherAudience) {
  EXPECT_EQ(error_of(with(google_claims(), "aud", "someone-elses-client")), GoogleTokenError::wrong_audience);
  EXPECT_EQ(error_of(with(google_claims(), "aud", json::array{"a", "b"})), GoogleTokenError::wrong_audience);
  EXPECT_EQ(error_of(with(google_claims(), "aud", json::array{})), GoogleTokenError::wrong_audience);
  EXPECT_EQ(error_of(with(google_claims(), "aud", 7)), GoogleTokenError::wrong_audience);
  EXPECT_EQ(error_of(without(google_claims(), "aud")), GoogleTokenError::wrong_audience);
  // The audience is compared whole, not as a prefix.
  EXPECT_EQ(error_of(with(google_claims(), "aud", json::string(std::string(kClientId) + "x"))),
            GoogleTokenError::wrong_audience);
}

TEST(GoogleIdToken, RefusesAnotherIssuer) {
  for (const char* iss : {"https://evil.example.com", "http://accounts.google.com", "accounts.google.com.evil.com",
                          "https://accounts.google.com/", ""})
    EXPECT_EQ(error_of(with(google_claims(), "iss", iss)), GoogleTokenError::wrong_issuer) << iss;
  EXPECT_EQ(error_of(without(google_claims(), "iss")), GoogleTokenError::wrong_issuer);
}

TEST(GoogleIdToken, RefusesAnExpiredTokenAfterTheLeeway) {
  const auto token = sign(google_claims());  // exp = kNow + 3590
  EXPECT_EQ(error_of(token, kNow + 3590 + kGoogleTokenLeewaySeconds - 1), std::nullopt);
  EXPECT_EQ(error_of(token, kNow + 3590 + kGoogleTokenLeewaySeconds), GoogleTokenError::expired);
  EXPECT_EQ(error_of(token, kNow + 86400), GoogleTokenError::expired);
}

TEST(GoogleIdToken, RefusesATokenIssuedInTheFuture) {
  EXPECT_EQ(error_of(with(google_claims(), "iat", kNow + kGoogleTokenLeewaySeconds)), std::nullopt);
  EXPECT_EQ(error_of(with(google_claims(), "iat", kNow + kGoogleTokenLeewaySeconds + 1)),
            GoogleTokenError::not_yet_valid);
  EXPECT_EQ(error_of(with(google_claims(), "nbf", kNow + 600)), GoogleTokenError::not_yet_valid);
  EXPECT_EQ(error_of(with(google_claims(), "nbf", kNow - 600)), std::nullopt);
}

TEST(GoogleIdToken, RefusesAnUnknownKeyId) {
  EXPECT_EQ(error_of(sign(google_claims(), rs256_header("rotated-away"))), GoogleTokenError::unknown_kid);
  auto header = rs256_header();
  header.erase("kid");
  EXPECT_EQ(error_of(sign(google_claims(), header)), GoogleTokenError::unknown_kid);
  header["kid"] = 17;
  EXPECT_EQ(error_of(sign(google_claims(), header)), GoogleTokenError::unknown_kid);
}

TEST(GoogleIdToken, RefusesAKnownKeyIdSignedByAnotherKey) {
  EXPECT_EQ(error_of(sign(google_claims(), rs256_header(), stranger_key())), GoogleTokenError::bad_signature);
}

TEST(GoogleIdToken, RefusesATamperedPayload) {
  const auto token = sign(google_claims());
  const auto first_dot = token.find('.');
  const auto second_dot = token.find('.', first_dot + 1);
  auto claims = google_claims();
  claims["email"] = "mallory@example.com";
  const auto forged =
      token.substr(0, first_dot + 1) + base64url_encode(json::serialize(claims)) + token.substr(second_dot);
  EXPECT_EQ(error_of(forged), GoogleTokenError::bad_signature);
  // A header changed after signing (another key id of the same set would be the same thing) breaks it too.
  auto header = rs256_header();
  header["typ"] = "at+jwt";
  EXPECT_EQ(error_of(base64url_encode(json::serialize(header)) + token.substr(first_dot)),
            GoogleTokenError::bad_signature);
}

TEST(GoogleIdToken, RefusesATamperedSignature) {
  const auto token = sign(google_claims());
  const auto dot = token.rfind('.');
  auto signature = *base64url_decode(token.substr(dot + 1));
  signature[signature.size() / 2] = static_cast<char>(signature[signature.size() / 2] ^ 0x01);
  EXPECT_EQ(error_of(token.substr(0, dot + 1) + base64url_encode(signature)), GoogleTokenError::bad_signature);
  signature.pop_back();  // one byte short of the modulus
  EXPECT_EQ(error_of(token.substr(0, dot + 1) + base64url_encode(signature)), GoogleTokenError::bad_signature);
  EXPECT_EQ(error_of(token.substr(0, dot + 1)), GoogleTokenError::bad_signature);  // no signature at all
}

// The classic confusion: a verifier that takes "alg" from the token would check this HMAC with the public key
// it holds for the kid as the secret, and accept it.
TEST(GoogleIdToken, RefusesHs256SignedWithThePublicKey) {
  EVP_PKEY* key = const_cast<EVP_PKEY*>(google_key());
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), BIO_free);
  ASSERT_EQ(PEM_write_bio_PUBKEY(bio.get(), key), 1);
  char* pem_data = nullptr;
  const long pem_size = BIO_get_mem_data(bio.get(), &pem_data);
  const std::string pem(pem_data, static_cast<std::size_t>(pem_size));
  unsigned char* der_data = nullptr;
  const int der_size = i2d_PUBKEY(key, &der_data);
  ASSERT_GT(der_size, 0);
  const std::string der(reinterpret_cast<char*>(der_data), static_cast<std::size_t>(der_size));
  OPENSSL_free(der_data);
  const std::string modulus = bn_param(key, OSSL_PKEY_PARAM_RSA_N);

  for (const auto& secret : {pem, der, modulus}) {
    const json::object header{{"alg", "HS256"}, {"kid", "google-1"}, {"typ", "JWT"}};
    const auto input = signing_input(header, google_claims());
    EXPECT_EQ(error_of(input + "." + base64url_encode(hs256(secret, input))), GoogleTokenError::wrong_algorithm);
  }
}

TEST(GoogleIdToken, RefusesEveryAlgorithmButRs256) {
  for (const char* alg : {"none", "None", "rs256", "RS384", "RS512", "PS256", "ES256", "HS256", ""}) {
    json::object header{{"alg", alg}, {"kid", "google-1"}};
    const auto input = signing_input(header, google_claims());
    EXPECT_EQ(error_of(input + "."), GoogleTokenError::wrong_algorithm) << alg;
    EXPECT_EQ(error_of(input + "." + base64url_encode(rs256(google_key(), input))), GoogleTokenError::wrong_algorithm)
        << alg;
  }
  json::object no_alg{{"kid", "google-1"}};
  EXPECT_EQ(error_of(signing_input(no_alg, google_claims()) + "."), GoogleTokenError::wrong_algorithm);
  json::object alg_not_a_string{{"alg", json::array{"RS256"}}, {"kid", "google-1"}};
  EXPECT_EQ(error_of(signing_input(alg_not_a_string, google_claims()) + "."), GoogleTokenError::wrong_algorithm);
}

TEST(GoogleIdToken, RefusesAnUnverifiedOrMissingEmail) {
  EXPECT_EQ(error_of(with(google_claims(), "email_verified", false)), GoogleTokenError::email_unverified);
  EXPECT_EQ(error_of(with(google_claims(), "email_verified", "false")), GoogleTokenError::email_unverified);
  EXPECT_EQ(error_of(with(google_claims(), "email_verified", 1)), GoogleTokenError::email_unverified);
  EXPECT_EQ(error_of(without(google_claims(), "email_verified")), GoogleTokenError::email_unverified);
  EXPECT_EQ(error_of(without(google_claims(), "email")), GoogleTokenError::email_unverified);
}

TEST(GoogleIdToken, RefusesMalformedTokens) {
  const auto good = sign(google_claims());
  EXPECT_EQ(error_of(""), GoogleTokenError::malformed);
  EXPECT_EQ(error_of("abc"), GoogleTokenError::malformed);
  EXPECT_EQ(error_of("a.b"), GoogleTokenError::malformed);
  EXPECT_EQ(error_of(good + ".extra"), GoogleTokenError::malformed);
  EXPECT_EQ(error_of("..."), GoogleTokenError::malformed);
  EXPECT_EQ(error_of("!!!." + good.substr(good.find('.') + 1)), GoogleTokenError::malformed);  // header not base64url
  EXPECT_EQ(error_of(base64url_encode("{\"alg\":") + good.substr(good.find('.'))), GoogleTokenError::malformed);
  EXPECT_EQ(error_of(base64url_encode("[\"RS256\"]") + good.substr(good.find('.'))), GoogleTokenError::malformed);
  EXPECT_EQ(error_of(good.substr(0, good.rfind('.') + 1) + "*signature*"), GoogleTokenError::malformed);
  EXPECT_EQ(error_of(std::string(kMaxGoogleTokenBytes + 1, 'a')), GoogleTokenError::malformed);
  EXPECT_EQ(error_of(good + std::string(kMaxGoogleTokenBytes, 'A')), GoogleTokenError::malformed);
  EXPECT_EQ(verify_google_id_token(good, google_keys(), "", kNow).index(), 1U);  // no audience configured

  // Signed, so Google's own words, but not what an ID token must hold.
  const auto signed_text = [](const std::string& payload) {
    const auto input = base64url_encode(json::serialize(rs256_header())) + "." + base64url_encode(payload);
    return input + "." + base64url_encode(rs256(google_key(), input));
  };
  EXPECT_EQ(error_of(signed_text("not json")), GoogleTokenError::malformed);
  EXPECT_EQ(error_of(signed_text("[1,2]")), GoogleTokenError::malformed);
  EXPECT_EQ(error_of(without(google_claims(), "sub")), GoogleTokenError::malformed);
  EXPECT_EQ(error_of(with(google_claims(), "sub", "")), GoogleTokenError::malformed);
  EXPECT_EQ(error_of(without(google_claims(), "exp")), GoogleTokenError::malformed);
  EXPECT_EQ(error_of(with(google_claims(), "exp", "1780003590")), GoogleTokenError::malformed);
  EXPECT_EQ(error_of(with(google_claims(), "exp", 1.78e9)), GoogleTokenError::malformed);
  EXPECT_EQ(error_of(without(google_claims(), "iat")), GoogleTokenError::malformed);
  EXPECT_EQ(error_of(with(google_claims(), "nbf", "soon")), GoogleTokenError::malformed);

  auto header = rs256_header();
  header["crit"] = json::array{"exp"};
  EXPECT_EQ(error_of(sign(google_claims(), header)), GoogleTokenError::malformed);
}

TEST(GoogleKeySet, KeepsOnlyUsableRsaSigningKeys) {
  EvpPkeyPtr small = generate_rsa(1024);
  auto ec_key = json::object{{"kty", "EC"}, {"kid", "ec-1"}, {"crv", "P-256"}, {"x", "AAAA"}, {"y", "AAAA"}};
  auto encryption = jwk_of(stranger_key(), "enc-1");
  encryption["use"] = "enc";
  auto hmac_alg = jwk_of(stranger_key(), "hs-1");
  hmac_alg["alg"] = "HS256";
  auto no_kid = jwk_of(stranger_key(), "x");
  no_kid.erase("kid");
  auto even_exponent = jwk_of(stranger_key(), "even-e");
  even_exponent["e"] = base64url_encode(std::string("\x01\x00\x00", 3));
  auto bad_modulus = jwk_of(stranger_key(), "bad-n");
  bad_modulus["n"] = "!!";
  auto bare = jwk_of(stranger_key(), "bare");  // neither "alg" nor "use": both are optional
  bare.erase("alg");
  bare.erase("use");
  auto duplicate = jwk_of(stranger_key(), "google-1");

  const auto set =
      GoogleKeySet::parse(jwks_text({jwk_of(google_key(), "google-1"), ec_key, jwk_of(small.get(), "small"), encryption,
                                     hmac_alg, no_kid, even_exponent, bad_modulus, bare, duplicate, "not an object"}));
  ASSERT_TRUE(set);
  EXPECT_EQ(set->size(), 2U);
  EXPECT_EQ(set->skipped(), 9U);
  EXPECT_NE(set->find("google-1"), nullptr);
  EXPECT_NE(set->find("bare"), nullptr);
  EXPECT_EQ(set->find("small"), nullptr);
  // The first "google-1" stays: a token of the real key still verifies against this set.
  EXPECT_TRUE(
      std::holds_alternative<GoogleClaims>(verify_google_id_token(sign(google_claims()), *set, kClientId, kNow)));
}

TEST(GoogleKeySet, RefusesWhatIsNotAJwksDocument) {
  EXPECT_FALSE(GoogleKeySet::parse(""));
  EXPECT_FALSE(GoogleKeySet::parse("not json"));
  EXPECT_FALSE(GoogleKeySet::parse("[]"));
  EXPECT_FALSE(GoogleKeySet::parse("{}"));
  EXPECT_FALSE(GoogleKeySet::parse(R"({"keys":{}})"));
  EXPECT_FALSE(GoogleKeySet::parse(std::string(GoogleKeySet::kMaxDocumentBytes + 1, ' ')));
  auto empty = GoogleKeySet::parse(R"({"keys":[]})");
  ASSERT_TRUE(empty);
  EXPECT_EQ(empty->size(), 0U);
  EXPECT_EQ(verify_google_id_token(sign(google_claims()), *empty, kClientId, kNow).index(), 1U);
}

// A token and JWKS made by PyJWT and cryptography, not by this code: the two agree on base64url, the JWK and
// the signature format. And a token signed here passes PyJWT's verification.
TEST(GoogleIdToken, AgreesWithPyJwt) {
  const auto vector = json::parse(run_python_vector({"make", kClientId, std::to_string(kNow)})).as_object();
  const auto set = GoogleKeySet::parse(vector.at("jwks").as_string());
  ASSERT_TRUE(set);
  ASSERT_EQ(set->size(), 1U);
  const std::string token(vector.at("token").as_string());
  auto result = verify_google_id_token(token, *set, kClientId, kNow);
  ASSERT_TRUE(std::holds_alternative<GoogleClaims>(result));
  EXPECT_EQ(std::get<GoogleClaims>(result).sub, std::string_view(vector.at("sub").as_string()));
  EXPECT_EQ(std::get<GoogleClaims>(result).email, std::string_view(vector.at("email").as_string()));
  EXPECT_EQ(verify_google_id_token(token, *set, "another-client", kNow).index(), 1U);

  const auto jwks = jwks_text({jwk_of(google_key(), "google-1")});
  EXPECT_EQ(run_python_vector({"check", jwks, sign(google_claims()), kClientId, std::to_string(kNow)}), "ok");
  auto claims = google_claims();
  claims["aud"] = "another-client";
  EXPECT_EQ(run_python_vector({"check", jwks, sign(claims), kClientId, std::to_string(kNow)}), "InvalidAudienceError");
}

TEST(CacheControl, ReadsMaxAge) {
  // What Google's JWKS endpoint sends.
  EXPECT_EQ(cache_control_max_age("public, max-age=19204, must-revalidate, no-transform"), std::chrono::seconds(19204));
  EXPECT_EQ(cache_control_max_age("MAX-AGE = 10"), std::chrono::seconds(10));
  EXPECT_EQ(cache_control_max_age("max-age=\"30\""), std::chrono::seconds(30));
  EXPECT_EQ(cache_control_max_age("max-age=0"), std::chrono::seconds(0));
  EXPECT_EQ(cache_control_max_age("max-age=5, max-age=600"), std::chrono::seconds(5));  // the first counts
  EXPECT_EQ(cache_control_max_age("max-age=99999999999999999999999"), std::chrono::seconds(std::int64_t{1} << 31));
  EXPECT_EQ(cache_control_max_age("public, max-age=600, no-store"), std::chrono::seconds(0));
  EXPECT_EQ(cache_control_max_age("no-cache"), std::chrono::seconds(0));
  EXPECT_EQ(cache_control_max_age(""), std::nullopt);
  EXPECT_EQ(cache_control_max_age("public"), std::nullopt);
  EXPECT_EQ(cache_control_max_age("s-maxage=600"), std::nullopt);
  EXPECT_EQ(cache_control_max_age("max-age=ten"), std::nullopt);
  EXPECT_EQ(cache_control_max_age("max-age=-5"), std::nullopt);
  EXPECT_EQ(cache_control_max_age("max-age="), std::nullopt);
}
