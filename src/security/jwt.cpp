#include "security/jwt.hpp"

#include <openssl/crypto.h>
#include <sodium/core.h>

#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "security/base64url.hpp"

#include <sodium/utils.h>

#include <stdexcept>

namespace b2w::security {
namespace {

const char* kind_name(TokenKind k) { return k == TokenKind::access ? "access" : "refresh"; }

// The one header we issue; verification parses whatever header arrives.
const std::string& encoded_header() {
  static const std::string h = base64url_encode(R"({"alg":"HS256","typ":"JWT"})");
  return h;
}

bool get_string(const boost::json::object& o, const char* key, std::string& out) {
  auto it = o.find(key);
  if (it == o.end() || !it->value().is_string()) return false;
  out = std::string(it->value().as_string());
  return true;
}

bool get_int(const boost::json::object& o, const char* key, std::int64_t& out) {
  auto it = o.find(key);
  if (it == o.end()) return false;
  if (it->value().is_int64()) out = it->value().as_int64();
  else if (it->value().is_uint64() && it->value().as_uint64() <= INT64_MAX) out = static_cast<std::int64_t>(it->value().as_uint64());
  else return false;
  return true;
}

}  // namespace

std::string_view token_error_code(TokenError e) { return e == TokenError::expired ? "token_expired" : "invalid_token"; }

std::int64_t unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

JwtSigner::JwtSigner(std::string key, TokenKind kind) : kind_(kind) {
  if (sodium_init() < 0) throw std::runtime_error("libsodium cannot be initialized");
  crypto_auth_hmacsha256_init(&keyed_, reinterpret_cast<const unsigned char*>(key.data()), key.size());
  sodium_memzero(key.data(), key.size());
}

std::string JwtSigner::mac(std::string_view data) const {
  crypto_auth_hmacsha256_state state = keyed_;
  crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(data.data()), data.size());
  std::string out(crypto_auth_hmacsha256_BYTES, '\0');
  crypto_auth_hmacsha256_final(&state, reinterpret_cast<unsigned char*>(out.data()));
  sodium_memzero(&state, sizeof state);
  return out;
}

std::string JwtSigner::sign(const Claims& c) const {
  boost::json::object payload{{"sub", c.sub}, {"role", c.role}, {"jti", c.jti},
                              {"iat", c.iat}, {"exp", c.exp},   {"typ", kind_name(kind_)}};
  if (!c.family.empty()) payload["fam"] = c.family;
  std::string token = encoded_header();
  token += '.';
  token += base64url_encode(boost::json::serialize(payload));
  const auto signature = mac(token);
  token += '.';
  token += base64url_encode(signature);
  return token;
}

std::variant<Claims, TokenError> JwtSigner::verify(std::string_view token, std::int64_t now) const {
  if (token.size() > 4096) return TokenError::malformed;
  const auto dot1 = token.find('.');
  const auto dot2 = dot1 == std::string_view::npos ? dot1 : token.find('.', dot1 + 1);
  if (dot2 == std::string_view::npos || token.find('.', dot2 + 1) != std::string_view::npos) return TokenError::malformed;

  boost::system::error_code ec;
  // The header we issue ourselves needs no parsing; any other is parsed and checked.
  if (token.substr(0, dot1) != encoded_header()) {
    const auto header_json = base64url_decode(token.substr(0, dot1));
    if (!header_json) return TokenError::malformed;
    auto header = boost::json::parse(*header_json, ec);
    if (ec || !header.is_object()) return TokenError::malformed;
    std::string alg;
    // Only HS256: "none", RS256 (key confusion) and everything else are refused before any signature check.
    if (!get_string(header.as_object(), "alg", alg) || alg != "HS256") return TokenError::wrong_algorithm;
  }

  const auto signature = base64url_decode(token.substr(dot2 + 1));
  if (!signature || signature->size() != 32) return TokenError::bad_signature;
  const auto expected = mac(token.substr(0, dot2));
  if (CRYPTO_memcmp(expected.data(), signature->data(), 32) != 0) return TokenError::bad_signature;

  const auto payload_json = base64url_decode(token.substr(dot1 + 1, dot2 - dot1 - 1));
  if (!payload_json) return TokenError::malformed;
  auto payload = boost::json::parse(*payload_json, ec);
  if (ec || !payload.is_object()) return TokenError::malformed;
  const auto& p = payload.as_object();
  Claims c;
  std::string typ;
  if (!get_string(p, "sub", c.sub) || !get_string(p, "jti", c.jti) || !get_int(p, "exp", c.exp) ||
      !get_int(p, "iat", c.iat) || !get_string(p, "typ", typ))
    return TokenError::malformed;
  get_string(p, "role", c.role);
  get_string(p, "fam", c.family);
  if (typ != kind_name(kind_)) return TokenError::wrong_kind;
  c.kind = kind_;
  if (now > c.exp + kLeewaySeconds) return TokenError::expired;
  if (c.iat > now + kLeewaySeconds) return TokenError::not_yet_valid;
  return c;
}

}  // namespace b2w::security
