#pragma once
#include <chrono>
#include <string>

#include "auth/rate_limiter.hpp"
#include "store/db/database.hpp"
#include "store/users.hpp"

namespace b2w::identity {

template <typename T>
using Awaitable = store::Awaitable<T>;

struct EmailOptions {
  std::string web_app_url;  // WEB_APP_URL: the links open <url>/verify-email?token=...
  std::chrono::milliseconds verify_ttl = std::chrono::hours(24);
  int resends_per_hour = 3;
};

// Email verification: registration mails a single-use link (a random token; only its SHA-256 is kept), written to
// the outbox in the registration's own transaction. Throws domain::Error.
class EmailVerification {
 public:
  EmailVerification(store::Database& db, store::UserRepository& users, auth::RateLimiter& limiter, EmailOptions options)
      : db_(db), users_(users), limiter_(limiter), options_(std::move(options)) {}

  // In the transaction that creates `user`: the token and the mail.
  Awaitable<void> start(store::Tx& tx, const store::UserRecord& user) const;
  // In the transaction of a registration refused for `email` (taken): a mail telling its owner.
  static Awaitable<void> tell_owner_of_taken_email(store::Tx& tx, const std::string& email);
  // The link's token: the email is verified (once). 422 invalid_token when unknown, used or expired.
  Awaitable<void> verify(std::string token);
  // A new link for the signed-in user; 409 email_already_verified; 429 after `resends_per_hour`.
  Awaitable<void> resend(std::string user_id);

 private:
  Awaitable<void> mail_link(store::Tx& tx, const store::UserRecord& user) const;

  store::Database& db_;
  store::UserRepository& users_;
  auth::RateLimiter& limiter_;
  EmailOptions options_;
};

}  // namespace b2w::identity
