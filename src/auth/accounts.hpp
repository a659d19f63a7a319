#pragma once
#include <optional>
#include <string>

#include "auth/tokens.hpp"
#include "security/rate_limiter.hpp"
#include "store/users.hpp"
#include "util/blocking_pool.hpp"

namespace b2w::auth {

struct AccountLimits {
  int max_failures_per_account = 10;
  int max_login_attempts_per_ip = 30;
  int max_registrations_per_ip = 10;
  std::chrono::milliseconds window = std::chrono::minutes(15);
};

struct Session {
  store::UserRecord user;
  TokenPair tokens;
};

struct Registration {
  std::string email;
  std::string password;
  std::optional<std::string> full_name;
  std::optional<std::string> phone;
};

// Registration, login, refresh and logout. Throws http::ApiError with the
// documented codes. Password hashing runs on the blocking pool.
class AccountService {
 public:
  AccountService(store::UserRepository& users, TokenService& tokens, security::RateLimiter& limiter,
                 BlockingPool& blocking, AccountLimits limits)
      : users_(users), tokens_(tokens), limiter_(limiter), blocking_(blocking), limits_(limits) {}

  kv::Awaitable<Session> register_user(Registration input, const std::string& client_ip);
  kv::Awaitable<Session> login(std::string email, std::string password, const std::string& client_ip);
  kv::Awaitable<Session> refresh(const std::string& refresh_token);
  kv::Awaitable<void> logout(const std::string& refresh_token);

 private:
  // Login limits fail closed: with the KV store down nobody can guess passwords unthrottled.
  kv::Awaitable<void> enforce(const std::string& key, int limit, bool count_hit);

  store::UserRepository& users_;
  TokenService& tokens_;
  security::RateLimiter& limiter_;
  BlockingPool& blocking_;
  AccountLimits limits_;
};

}  // namespace b2w::auth
