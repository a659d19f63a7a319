#include "auth/tokens.hpp"

#include "util/ids.hpp"

namespace b2w::auth {

using security::Claims;
using security::TokenError;

TokenService::TokenService(kv::KeyValueStore& kv, std::string access_key, std::string refresh_key,
                           std::chrono::milliseconds access_ttl, std::chrono::milliseconds refresh_ttl,
                           std::string previous_access_key, std::string previous_refresh_key)
    : access_(std::move(access_key), security::TokenKind::access, std::move(previous_access_key)),
      refresh_(std::move(refresh_key), security::TokenKind::refresh, std::move(previous_refresh_key)),
      kv_(kv),
      access_ttl_(access_ttl),
      refresh_ttl_(refresh_ttl) {}

TokenPair TokenService::pair_for(const std::string& user_id, const std::string& role, std::int64_t version,
                                 const std::string& family, const std::string& jti) const {
  const auto now = security::unix_now();
  Claims access{user_id, role, random_hex(12), "", now, now + access_ttl_.count() / 1000, security::TokenKind::access,
                version};
  Claims refresh{user_id, role, jti, family, now, now + refresh_ttl_.count() / 1000, security::TokenKind::refresh,
                 version};
  return {access_.sign(access), refresh_.sign(refresh), access_ttl_.count() / 1000};
}

kv::Awaitable<TokenPair> TokenService::issue(const std::string& user_id, const std::string& role,
                                             std::int64_t version) {
  const auto family = random_hex(16);
  const auto jti = random_hex(16);
  co_await kv_.set(family_key(family), jti, refresh_ttl_);
  co_return pair_for(user_id, role, version, family, jti);
}

kv::Awaitable<TokenService::Rotation> TokenService::rotate(const std::string& refresh_token,
                                                           const std::string& next_jti) {
  auto verified = refresh_.verify(refresh_token, security::unix_now());
  if (auto* error = std::get_if<TokenError>(&verified))
    co_return Rotation{*error == TokenError::expired ? RefreshOutcome::expired : RefreshOutcome::invalid, {}, {}};
  const auto& claims = std::get<Claims>(verified);
  if (claims.family.empty()) co_return Rotation{RefreshOutcome::invalid, {}, {}};
  const auto key = family_key(claims.family);
  const auto swapped = co_await kv_.compare_and_set(key, claims.jti, next_jti, refresh_ttl_);
  switch (swapped) {
    case kv::CasResult::swapped:
      co_return Rotation{RefreshOutcome::rotated, claims.sub, claims.family, claims.version};
    case kv::CasResult::mismatch:
      // An old token came back: someone holds a copy. Revoke the family, the newest token included.
      co_await kv_.del(key);
      co_return Rotation{RefreshOutcome::reused, claims.sub, claims.family, claims.version};
    case kv::CasResult::missing:
      break;
  }
  co_return Rotation{RefreshOutcome::revoked, claims.sub, claims.family, claims.version};
}

kv::Awaitable<bool> TokenService::revoke(const std::string& refresh_token) {
  auto verified = refresh_.verify(refresh_token, security::unix_now());
  const auto* claims = std::get_if<Claims>(&verified);
  if (!claims || claims->family.empty()) co_return false;
  co_await kv_.del(family_key(claims->family));
  co_return true;
}

std::variant<Claims, TokenError> TokenService::verify_access(std::string_view token) const {
  return access_.verify(token, security::unix_now());
}

}  // namespace b2w::auth
