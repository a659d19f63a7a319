#pragma once
// Verification of Google ID tokens (OpenID Connect, RS256 JWTs) against Google's JWKS document.
// Pure: no I/O and no clock. The service that fetches and caches the JWKS and calls verify() lives above.
#include <openssl/types.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

namespace b2w::security {

struct EvpPkeyFree {
  void operator()(EVP_PKEY* key) const noexcept;
};
using EvpPkeyPtr = std::unique_ptr<EVP_PKEY, EvpPkeyFree>;

// The RSA signing keys of a JWKS document, by key id. Immutable once parsed, so one set may be shared
// (std::shared_ptr<const GoogleKeySet>) by every thread that verifies tokens.
class GoogleKeySet {
 public:
  // Smallest modulus accepted: RFC 7518 §3.3 asks for 2048 bits. Largest: bounds the cost of one verification.
  static constexpr int kMinRsaBits = 2048;
  static constexpr int kMaxRsaBits = 8192;
  static constexpr std::size_t kMaxDocumentBytes = 256 * 1024;

  // nullopt when the text is not a JWKS document ({"keys": [...]}, at most kMaxDocumentBytes). Keys that cannot
  // sign RS256 tokens are skipped, not fatal: other key types, "use" other than "sig", "alg" other than RS256,
  // no "kid", a repeated "kid" (the first stays), a bad n or e, a modulus outside [kMinRsaBits, kMaxRsaBits].
  static std::optional<GoogleKeySet> parse(std::string_view jwks_json);

  // The key with this id, or null. The set keeps ownership.
  EVP_PKEY* find(std::string_view kid) const;
  std::size_t size() const { return keys_.size(); }
  // How many entries of the document were skipped (for a log line when Google publishes something new).
  std::size_t skipped() const { return skipped_; }

 private:
  std::map<std::string, EvpPkeyPtr, std::less<>> keys_;
  std::size_t skipped_ = 0;
};

struct GoogleClaims {
  std::string sub;  // Google's stable account id: the only identifier to link an account by, with a verified email
  std::string email;
  bool email_verified = false;
  std::string name;  // may be empty (the "profile" scope was not asked for)
  std::string iss;
  std::string aud;  // the audience that matched: our client id
  std::int64_t iat = 0;
  std::int64_t exp = 0;
};

enum class GoogleTokenError {
  malformed,         // not three base64url parts of JSON objects, a required claim missing or of the wrong type
  wrong_algorithm,   // header "alg" is not exactly RS256 (none, HS256, PS256...): refused before any key is used
  unknown_kid,       // no "kid", or one not in the key set (the caller may refetch the JWKS once)
  bad_signature,     // RSASSA-PKCS1-v1_5 SHA-256 over "header.payload" does not verify
  wrong_issuer,      // "iss" is not accounts.google.com or https://accounts.google.com
  wrong_audience,    // "aud" (a string, or an array) does not name our client id
  expired,           // "exp" + leeway <= now
  not_yet_valid,     // "iat" (or "nbf", when present) later than now + leeway
  email_unverified,  // "email" missing or "email_verified" not true
};

// A stable snake_case name for logs and metrics.
std::string_view google_token_error_name(GoogleTokenError error);

// Clock skew tolerated between Google and us, both for "exp" and for "iat"/"nbf".
inline constexpr std::int64_t kGoogleTokenLeewaySeconds = 60;
// Longer tokens are refused unread (Google's are about 1 KB).
inline constexpr std::size_t kMaxGoogleTokenBytes = 16 * 1024;

// Checks, in order: size and shape, header alg == RS256, kid known, signature, then the claims (iss, aud, exp,
// iat/nbf, email_verified). "email_verified" is a JSON boolean in Google's tokens; the string "true" is accepted
// too, because some Google endpoints (tokeninfo) have sent it as a string. Anything else is not verified.
std::variant<GoogleClaims, GoogleTokenError> verify_google_id_token(std::string_view token, const GoogleKeySet& keys,
                                                                    std::string_view expected_audience,
                                                                    std::int64_t now_seconds);

// The max-age of a Cache-Control header value (RFC 9111 §5.2.2.1), for how long a fetched JWKS stays fresh.
// "no-store" or "no-cache" count as 0; nullopt when there is no usable max-age. The first max-age counts; values
// beyond 2^31 seconds are capped there (RFC 9111 §1.2.2).
std::optional<std::chrono::seconds> cache_control_max_age(std::string_view header_value);

}  // namespace b2w::security
