#pragma once
#include <chrono>
#include <string>
#include <variant>

#include "kv/kv.hpp"
#include "security/jwt.hpp"

namespace b2w::auth {

struct TokenPair {
  std::string access_token;
  std::string refresh_token;
  std::int64_t expires_in = 0;  // access token lifetime, seconds
};

enum class RefreshOutcome { rotated, reused, revoked, invalid, expired };

// Issues access and refresh tokens. Refresh tokens rotate: each belongs to a
// family whose current token id lives in the shared KV store (TTL = refresh
// lifetime), so every task sees a rotation or revocation at once. Presenting a
// token that was already rotated revokes the whole family.
class TokenService {
 public:
  // The previous keys (may be empty): the ones being rotated out, still accepted, never used to sign.
  TokenService(kv::KeyValueStore& kv, std::string access_key, std::string refresh_key,
               std::chrono::milliseconds access_ttl, std::chrono::milliseconds refresh_ttl,
               std::string previous_access_key = {}, std::string previous_refresh_key = {});

  // A new family (login, register). `version`: the user's token version, carried by both tokens.
  kv::Awaitable<TokenPair> issue(const std::string& user_id, const std::string& role, std::int64_t version);

  struct Rotation {
    RefreshOutcome outcome;
    std::string user_id;  // set when the token's signature was valid
    std::string family;
    std::int64_t version = 0;  // the token version the refresh token carried
  };
  // Checks a refresh token and, when it is the family's current one, moves the family on to `next_jti`.
  kv::Awaitable<Rotation> rotate(const std::string& refresh_token, const std::string& next_jti);
  // Issues the pair for a rotation that succeeded (same family, the new jti).
  TokenPair pair_for(const std::string& user_id, const std::string& role, std::int64_t version,
                     const std::string& family, const std::string& jti) const;
  // Revokes the token's family (logout). False when the token is not a valid refresh token.
  kv::Awaitable<bool> revoke(const std::string& refresh_token);

  std::variant<security::Claims, security::TokenError> verify_access(std::string_view token) const;

 private:
  static std::string family_key(const std::string& family) { return "auth:family:" + family; }
  security::JwtSigner access_;
  security::JwtSigner refresh_;
  kv::KeyValueStore& kv_;
  std::chrono::milliseconds access_ttl_, refresh_ttl_;
};

}  // namespace b2w::auth
