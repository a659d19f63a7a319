#pragma once
#include <chrono>
#include <string>

#include "auth/rate_limiter.hpp"
#include "identity/email_verification.hpp"
#include "identity/phone_otp.hpp"
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
                PhoneOtp& phone_codes, ResetOptions options)
      : db_(db),
        users_(users),
        limiter_(limiter),
        blocking_(blocking),
        phone_codes_(phone_codes),
        options_(std::move(options)) {}

  // The same outcome whether or not the address has an account (nothing tells which); rate limited per address
  // (silently: the answer stays the same) and per IP (429).
  Awaitable<void> request(std::string email, std::string client_ip);
  // 422 invalid_token (unknown, used, expired) or validation_error (new_password); then the password changes and
  // every access and refresh token issued before ends.
  Awaitable<void> reset(std::string token, std::string new_password);
  // The same reset by a password_reset code sent to the account's verified phone (422 invalid_code otherwise).
  Awaitable<void> reset_with_code(std::string phone, std::string code, std::string new_password, std::string client_ip);
  // A password_reset code exchanged for a reset token (the link's, 30 min, single use), for apps that ask for
  // the new password after the code: {token, seconds it lives}.
  Awaitable<std::pair<std::string, int>> token_for_code(std::string phone, std::string code, std::string client_ip);

 private:
  store::Database& db_;
  store::UserRepository& users_;
  auth::RateLimiter& limiter_;
  // The new password's hash, off the I/O thread, once it passed the rules for `email`'s account.
  Awaitable<std::string> checked_hash(std::string new_password, std::string email);

  BlockingPool& blocking_;
  PhoneOtp& phone_codes_;
  ResetOptions options_;
};

}  // namespace b2w::identity
