#include "security/jwt.hpp"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <stdexcept>

#include "security/base64url.hpp"

namespace b2w::security {
namespace {

const char* kind_name(TokenKind k) {
  return k == TokenKind::access ? "access" : "refresh";
}

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
  if (it->value().is_int64())
    out = it->value().as_int64();
  else if (it->value().is_uint64() && it->value().as_uint64() <= INT64_MAX)
    out = static_cast<std::int64_t>(it->value().as_uint64());
  else
    return false;
  return true;
}

}  // namespace

std::string_view token_error_code(TokenError e) {
  return e == TokenError::expired ? "token_expired" : "invalid_token";
}

std::int64_t unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

namespace {

// One HMAC context per thread, fetched once: OpenSSL's one-shot HMAC() looks the algorithms up
// and allocates a context on every call, which costs more than the hashing itself here.
struct ThreadMac {
  EVP_MAC* mac = nullptr;
  EVP_MAC_CTX* ctx = nullptr;
  ThreadMac() {
    mac = EVP_MAC_fetch(nullptr, OSSL_MAC_NAME_HMAC, nullptr);
    ctx = mac ? EVP_MAC_CTX_new(mac) : nullptr;
    char digest[] = "SHA256";
    const OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
                                 OSSL_PARAM_construct_end()};
    if (ctx && EVP_MAC_CTX_set_params(ctx, params) != 1) {
      EVP_MAC_CTX_free(ctx);
      ctx = nullptr;
    }
  }
  ~ThreadMac() {
    EVP_MAC_CTX_free(ctx);
    EVP_MAC_free(mac);
  }
  ThreadMac(const ThreadMac&) = delete;
  ThreadMac& operator=(const ThreadMac&) = delete;
};

}  // namespace

JwtSigner::JwtSigner(std::string key, TokenKind kind, std::string previous_key)
    : key_(std::move(key)), previous_key_(std::move(previous_key)), kind_(kind) {
  if (key_.empty()) throw std::invalid_argument("JWT signing key is empty");
  if (previous_key_ == key_) previous_key_.clear();  // the same key twice: one check is enough
}

std::string JwtSigner::mac(const std::string& key, std::string_view data) {
  thread_local ThreadMac m;
  std::string out(32, '\0');
  std::size_t len = 0;
  // The key is set on every call (a non-null key: never "the previous one").
  if (!m.ctx || EVP_MAC_init(m.ctx, reinterpret_cast<const unsigned char*>(key.data()), key.size(), nullptr) != 1 ||
      EVP_MAC_update(m.ctx, reinterpret_cast<const unsigned char*>(data.data()), data.size()) != 1 ||
      EVP_MAC_final(m.ctx, reinterpret_cast<unsigned char*>(out.data()), &len, out.size()) != 1 || len != out.size())
    throw std::runtime_error("HMAC-SHA256 failed");
  return out;
}

std::string JwtSigner::sign(const Claims& c) const {
  boost::json::object payload{{"sub", c.sub}, {"role", c.role}, {"jti", c.jti},
                              {"iat", c.iat}, {"exp", c.exp},   {"typ", kind_name(kind_)}};
  if (!c.family.empty()) payload["fam"] = c.family;
  payload["ver"] = c.version;
  std::string token = encoded_header();
  token += '.';
  token += base64url_encode(boost::json::serialize(payload));
  const auto signature = mac(key_, token);
  token += '.';
  token += base64url_encode(signature);
  return token;
}

std::variant<Claims, TokenError> JwtSigner::verify(std::string_view token, std::int64_t now) const {
  if (token.size() > 4096) return TokenError::malformed;
  const auto dot1 = token.find('.');
  const auto dot2 = dot1 == std::string_view::npos ? dot1 : token.find('.', dot1 + 1);
  if (dot2 == std::string_view::npos || token.find('.', dot2 + 1) != std::string_view::npos)
    return TokenError::malformed;

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
  const auto signed_part = token.substr(0, dot2);
  const auto expected = mac(key_, signed_part);
  if (CRYPTO_memcmp(expected.data(), signature->data(), 32) != 0) {
    if (previous_key_.empty()) return TokenError::bad_signature;
    const auto before = mac(previous_key_, signed_part);
    if (CRYPTO_memcmp(before.data(), signature->data(), 32) != 0) return TokenError::bad_signature;
  }

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
  // Tokens issued before versions existed have none: version 0, the column's starting value.
  if (p.contains("ver") && !get_int(p, "ver", c.version)) return TokenError::malformed;
  if (typ != kind_name(kind_)) return TokenError::wrong_kind;
  c.kind = kind_;
  // The leeway goes on `now` (a clock reading), not on the claims: exp or iat near the ends of int64
  // would overflow (undefined behaviour; found by fuzzing).
  if (c.exp < now - kLeewaySeconds) return TokenError::expired;
  if (c.iat > now + kLeewaySeconds) return TokenError::not_yet_valid;
  return c;
}

}  // namespace b2w::security
