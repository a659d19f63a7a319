#pragma once
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

namespace b2w::security {

// JSON Web Tokens, HS256 only. Access and refresh tokens are signed with
// different keys and carry their kind in "typ", so neither passes for the other.
enum class TokenKind { access, refresh };

struct Claims {
  std::string sub;     // user id
  std::string role;    // "user" or a staff role (domain/roles.hpp); admin routes read the database's instead
  std::string jti;     // token id
  std::string family;  // refresh tokens: the rotation family ("fam")
  std::int64_t iat = 0;
  std::int64_t exp = 0;
  TokenKind kind = TokenKind::access;
  std::int64_t version = 0;  // the user's token version when issued ("ver"); absent counts as 0
};

enum class TokenError { malformed, bad_signature, wrong_algorithm, wrong_kind, expired, not_yet_valid };

// Why a token was refused: invalid_token for all but expired (token_expired).
std::string_view token_error_code(TokenError e);

class JwtSigner {
 public:
  // `previous_key` (may be empty): the key being rotated out. Tokens it signed still verify; it never signs.
  // A rotation without logging everyone out: the new key goes in, the old one becomes the previous one, and it
  // is removed once the tokens it signed have expired (docs/runbook.md).
  JwtSigner(std::string key, TokenKind kind, std::string previous_key = {});
  std::string sign(const Claims& claims) const;
  // Verifies signature (constant time; the current key, else the previous one), algorithm, kind and time
  // (leeway 30 s).
  std::variant<Claims, TokenError> verify(std::string_view token, std::int64_t now_seconds) const;

  static constexpr std::int64_t kLeewaySeconds = 30;

 private:
  static std::string mac(const std::string& key, std::string_view data);

  std::string key_;
  std::string previous_key_;
  TokenKind kind_;
};

std::int64_t unix_now();

}  // namespace b2w::security
