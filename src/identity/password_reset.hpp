#pragma once
#include <chrono>
#include <string>

#include "auth/rate_limiter.hpp"
#include "identity/email_verification.hpp"
#include "store/db/database.hpp"
#include "store/users.hpp"
#include "util/blocking_pool.hpp"

namespace b2w::identity {

struct ResetOptions {
  std::string web_app_url;  // the link opens <url>/reset-password?token=...
  std::chrono::milliseconds ttl = std::chrono::minutes(30);
  int requests_per_email_per_hour = 3;
  int requests_per_ip_per_hour = 20;
};

// "Forgot password": a single-use link by mail (30 min; only the token's SHA-256 kept), and the reset that
// uses it, which ends every session of the user. Throws domain::Error.
class PasswordReset {
 public:
  PasswordReset(store::Database& db, store::UserRepository& users, auth::RateLimiter& limiter, BlockingPool& blocking,
                ResetOptions options)
      : db_(db), users_(users), limiter_(limiter), blocking_(blocking), options_(std::move(options)) {}

  // The same outcome whether or not the address has an account (nothing tells which); rate limited per address
  // (silently: the answer stays the same) and per IP (429).
  Awaitable<void> request(std::string email, std::string client_ip);
  // 422 invalid_token (unknown, used, expired) or validation_error (new_password); then the password changes and
  // every access and refresh token issued before ends.
  Awaitable<void> reset(std::string token, std::string new_password);

 private:
  store::Database& db_;
  store::UserRepository& users_;
  auth::RateLimiter& limiter_;
  BlockingPool& blocking_;
  ResetOptions options_;
};

}  // namespace b2w::identity
