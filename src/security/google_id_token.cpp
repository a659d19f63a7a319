#include "security/google_id_token.hpp"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/rsa.h>

#include <algorithm>
#include <array>
#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <cctype>
#include <limits>

#include "security/base64url.hpp"

namespace b2w::security {

void EvpPkeyFree::operator()(EVP_PKEY* key) const noexcept {
  EVP_PKEY_free(key);
}

namespace {

namespace json = boost::json;

struct BnFree {
  void operator()(BIGNUM* bn) const noexcept { BN_free(bn); }
};
struct ParamBldFree {
  void operator()(OSSL_PARAM_BLD* bld) const noexcept { OSSL_PARAM_BLD_free(bld); }
};
struct ParamFree {
  void operator()(OSSL_PARAM* params) const noexcept { OSSL_PARAM_free(params); }
};
struct PkeyCtxFree {
  void operator()(EVP_PKEY_CTX* ctx) const noexcept { EVP_PKEY_CTX_free(ctx); }
};
struct MdCtxFree {
  void operator()(EVP_MD_CTX* ctx) const noexcept { EVP_MD_CTX_free(ctx); }
};
using BnPtr = std::unique_ptr<BIGNUM, BnFree>;

// Some publishers pad base64url in JWKS documents although RFC 7518 §6.3.1 says not to; the padding carries nothing.
std::optional<std::string> decode_unpadded(std::string_view text) {
  while (!text.empty() && text.back() == '=') text.remove_suffix(1);
  return base64url_decode(text);
}

BnPtr big_number(std::string_view base64url) {
  auto bytes = decode_unpadded(base64url);
  if (!bytes || bytes->empty()) return nullptr;
  return BnPtr(
      BN_bin2bn(reinterpret_cast<const unsigned char*>(bytes->data()), static_cast<int>(bytes->size()), nullptr));
}

const json::string* string_member(const json::object& object, std::string_view key) {
  const auto* value = object.if_contains(key);
  return value ? value->if_string() : nullptr;
}

// An RSA public key from a JWK's modulus and exponent, or null when they do not make a sane signing key.
EvpPkeyPtr rsa_public_key(std::string_view n_text, std::string_view e_text) {
  BnPtr n = big_number(n_text);
  BnPtr e = big_number(e_text);
  if (!n || !e) return nullptr;
  // An even or tiny exponent is no RSA key; a huge one (OpenSSL caps public exponents at 64 bits) only costs time.
  if (!BN_is_odd(e.get()) || BN_is_one(e.get()) || BN_num_bits(e.get()) > 64) return nullptr;
  const int bits = BN_num_bits(n.get());
  if (bits < GoogleKeySet::kMinRsaBits || bits > GoogleKeySet::kMaxRsaBits) return nullptr;

  std::unique_ptr<OSSL_PARAM_BLD, ParamBldFree> builder(OSSL_PARAM_BLD_new());
  if (!builder || OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_RSA_N, n.get()) != 1 ||
      OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_RSA_E, e.get()) != 1)
    return nullptr;
  std::unique_ptr<OSSL_PARAM, ParamFree> params(OSSL_PARAM_BLD_to_param(builder.get()));
  std::unique_ptr<EVP_PKEY_CTX, PkeyCtxFree> ctx(EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr));
  if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1) return nullptr;
  EVP_PKEY* raw = nullptr;
  if (EVP_PKEY_fromdata(ctx.get(), &raw, EVP_PKEY_PUBLIC_KEY, params.get()) != 1) return nullptr;
  EvpPkeyPtr key(raw);
  if (EVP_PKEY_get_bits(key.get()) < GoogleKeySet::kMinRsaBits) return nullptr;
  return key;
}

}  // namespace

std::optional<GoogleKeySet> GoogleKeySet::parse(std::string_view jwks_json) {
  if (jwks_json.size() > kMaxDocumentBytes) return std::nullopt;
  boost::system::error_code ec;
  const json::value document = json::parse(jwks_json, ec);
  if (ec || !document.is_object()) return std::nullopt;
  const auto* keys = document.as_object().if_contains("keys");
  if (!keys || !keys->is_array()) return std::nullopt;

  GoogleKeySet set;
  for (const auto& entry : keys->as_array()) {
    const auto* jwk = entry.if_object();
    const auto* kty = jwk ? string_member(*jwk, "kty") : nullptr;
    const auto* kid = jwk ? string_member(*jwk, "kid") : nullptr;
    const auto* n = jwk ? string_member(*jwk, "n") : nullptr;
    const auto* e = jwk ? string_member(*jwk, "e") : nullptr;
    // "use" and "alg" are optional in a JWK (RFC 7517 §4.2, §4.4); when present they must allow RS256 signatures.
    const auto* use = jwk ? jwk->if_contains("use") : nullptr;
    const auto* alg = jwk ? jwk->if_contains("alg") : nullptr;
    const bool usable = kty && *kty == "RSA" && kid && !kid->empty() && n && e &&
                        (!use || (use->is_string() && use->as_string() == "sig")) &&
                        (!alg || (alg->is_string() && alg->as_string() == "RS256"));
    EvpPkeyPtr key = usable ? rsa_public_key(*n, *e) : nullptr;
    if (!key || set.keys_.contains(std::string_view(*kid))) {
      ++set.skipped_;
      continue;
    }
    set.keys_.emplace(std::string(*kid), std::move(key));
  }
  return set;
}

EVP_PKEY* GoogleKeySet::find(std::string_view kid) const {
  auto it = keys_.find(kid);
  return it == keys_.end() ? nullptr : it->second.get();
}

std::string_view google_token_error_name(GoogleTokenError error) {
  switch (error) {
    case GoogleTokenError::malformed:
      return "malformed";
    case GoogleTokenError::wrong_algorithm:
      return "wrong_algorithm";
    case GoogleTokenError::unknown_kid:
      return "unknown_kid";
    case GoogleTokenError::bad_signature:
      return "bad_signature";
    case GoogleTokenError::wrong_issuer:
      return "wrong_issuer";
    case GoogleTokenError::wrong_audience:
      return "wrong_audience";
    case GoogleTokenError::expired:
      return "expired";
    case GoogleTokenError::not_yet_valid:
      return "not_yet_valid";
    case GoogleTokenError::email_unverified:
      return "email_unverified";
  }
  return "unknown";
}

namespace {

std::optional<json::object> decode_json_object(std::string_view part) {
  auto text = base64url_decode(part);
  if (!text) return std::nullopt;
  boost::system::error_code ec;
  json::value value = json::parse(*text, ec);
  if (ec || !value.is_object()) return std::nullopt;
  return std::move(value.as_object());
}

bool rs256_signature_valid(EVP_PKEY* key, std::string_view signed_part, std::string_view signature) {
  // PKCS#1 v1.5 signatures are exactly as long as the modulus (RFC 8017 §8.2.2 step 1).
  if (signature.size() != static_cast<std::size_t>(EVP_PKEY_get_size(key))) return false;
  std::unique_ptr<EVP_MD_CTX, MdCtxFree> ctx(EVP_MD_CTX_new());
  EVP_PKEY_CTX* key_ctx = nullptr;  // owned by ctx
  if (!ctx || EVP_DigestVerifyInit_ex(ctx.get(), &key_ctx, "SHA256", nullptr, nullptr, key, nullptr) != 1 ||
      EVP_PKEY_CTX_set_rsa_padding(key_ctx, RSA_PKCS1_PADDING) != 1)
    return false;
  return EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(signature.data()), signature.size(),
                          reinterpret_cast<const unsigned char*>(signed_part.data()), signed_part.size()) == 1;
}

std::optional<std::int64_t> integer_member(const json::object& object, std::string_view key) {
  const auto* value = object.if_contains(key);
  if (!value) return std::nullopt;
  if (value->is_int64()) return value->as_int64();
  if (value->is_uint64() && value->as_uint64() <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
    return static_cast<std::int64_t>(value->as_uint64());
  return std::nullopt;
}

bool audience_matches(const json::value& aud, std::string_view expected) {
  if (const auto* single = aud.if_string()) return *single == expected;
  if (const auto* many = aud.if_array())
    return std::any_of(many->begin(), many->end(), [&](const json::value& v) {
      const auto* s = v.if_string();
      return s && *s == expected;
    });
  return false;
}

bool email_verified(const json::object& payload) {
  const auto* value = payload.if_contains("email_verified");
  if (!value) return false;
  if (const auto* flag = value->if_bool()) return *flag;
  const auto* text = value->if_string();
  return text && *text == "true";
}

}  // namespace

std::variant<GoogleClaims, GoogleTokenError> verify_google_id_token(std::string_view token, const GoogleKeySet& keys,
                                                                    std::string_view expected_audience,
                                                                    std::int64_t now_seconds) {
  if (token.size() > kMaxGoogleTokenBytes || expected_audience.empty()) return GoogleTokenError::malformed;
  const auto first_dot = token.find('.');
  const auto second_dot = first_dot == std::string_view::npos ? first_dot : token.find('.', first_dot + 1);
  if (second_dot == std::string_view::npos || token.find('.', second_dot + 1) != std::string_view::npos)
    return GoogleTokenError::malformed;
  const auto header_part = token.substr(0, first_dot);
  const auto payload_part = token.substr(first_dot + 1, second_dot - first_dot - 1);
  const auto signature_part = token.substr(second_dot + 1);

  auto header = decode_json_object(header_part);
  if (!header) return GoogleTokenError::malformed;
  // The algorithm is fixed here, never taken from the token: an HS256 token "signed" with our public key, or an
  // unsigned one (alg none), is refused before any key is touched.
  const auto* alg = string_member(*header, "alg");
  if (!alg || *alg != "RS256") return GoogleTokenError::wrong_algorithm;
  // Critical extensions (RFC 7515 §4.1.11) are ones we cannot honour.
  if (header->contains("crit")) return GoogleTokenError::malformed;
  const auto* kid = string_member(*header, "kid");
  EVP_PKEY* key = kid ? keys.find(*kid) : nullptr;
  if (!key) return GoogleTokenError::unknown_kid;

  auto signature = base64url_decode(signature_part);
  if (!signature) return GoogleTokenError::malformed;
  if (!rs256_signature_valid(key, token.substr(0, second_dot), *signature)) return GoogleTokenError::bad_signature;

  // From here on the payload is Google's own words.
  auto payload = decode_json_object(payload_part);
  if (!payload) return GoogleTokenError::malformed;
  const auto* sub = string_member(*payload, "sub");
  const auto* iss = string_member(*payload, "iss");
  const auto* aud = payload->if_contains("aud");
  const auto exp = integer_member(*payload, "exp");
  const auto iat = integer_member(*payload, "iat");
  if (!sub || sub->empty() || !exp || !iat) return GoogleTokenError::malformed;
  if (!iss || (*iss != "accounts.google.com" && *iss != "https://accounts.google.com"))
    return GoogleTokenError::wrong_issuer;
  if (!aud || !audience_matches(*aud, expected_audience)) return GoogleTokenError::wrong_audience;
  if (*exp + kGoogleTokenLeewaySeconds <= now_seconds) return GoogleTokenError::expired;
  if (*iat > now_seconds + kGoogleTokenLeewaySeconds) return GoogleTokenError::not_yet_valid;
  if (payload->contains("nbf")) {
    const auto nbf = integer_member(*payload, "nbf");
    if (!nbf) return GoogleTokenError::malformed;
    if (*nbf > now_seconds + kGoogleTokenLeewaySeconds) return GoogleTokenError::not_yet_valid;
  }
  const auto* email = string_member(*payload, "email");
  if (!email || email->empty() || !email_verified(*payload)) return GoogleTokenError::email_unverified;

  GoogleClaims claims;
  claims.sub = std::string(*sub);
  claims.email = std::string(*email);
  claims.email_verified = true;
  if (const auto* name = string_member(*payload, "name")) claims.name = std::string(*name);
  claims.iss = std::string(*iss);
  claims.aud = std::string(expected_audience);
  claims.iat = *iat;
  claims.exp = *exp;
  return claims;
}

namespace {

bool equals_ignoring_case(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

}  // namespace

std::optional<std::chrono::seconds> cache_control_max_age(std::string_view header_value) {
  constexpr std::int64_t kCap = std::int64_t{1} << 31;
  std::optional<std::chrono::seconds> max_age;
  bool uncacheable = false;
  while (!header_value.empty()) {
    const auto comma = header_value.find(',');
    const auto directive = trim(header_value.substr(0, comma));
    header_value = comma == std::string_view::npos ? std::string_view{} : header_value.substr(comma + 1);
    const auto equals = directive.find('=');
    const auto name = trim(directive.substr(0, equals));
    if (equals == std::string_view::npos) {
      if (equals_ignoring_case(name, "no-store") || equals_ignoring_case(name, "no-cache")) uncacheable = true;
      continue;
    }
    if (!equals_ignoring_case(name, "max-age") || max_age) continue;
    auto value = trim(directive.substr(equals + 1));
    // The quoted form is not allowed for max-age but is seen in the wild (RFC 9111 §5.2 asks senders not to).
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') value = value.substr(1, value.size() - 2);
    if (value.empty() || !std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; }))
      continue;
    std::int64_t seconds = 0;
    for (char c : value) seconds = std::min(kCap, seconds * 10 + (c - '0'));
    max_age = std::chrono::seconds(seconds);
  }
  if (uncacheable) return std::chrono::seconds(0);
  return max_age;
}

}  // namespace b2w::security
