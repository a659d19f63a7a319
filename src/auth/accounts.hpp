#pragma once
#include <optional>
#include <string>

#include "auth/login_throttle.hpp"
#include "auth/rate_limiter.hpp"
#include "auth/tokens.hpp"
#include "identity/email_verification.hpp"
#include "security/password.hpp"
#include "store/users.hpp"
#include "util/blocking_pool.hpp"

namespace b2w::auth {

struct AccountLimits {
  int max_login_attempts_per_ip = 30;  // per `window`
  int max_registrations_per_ip = 10;   // per `window`
  std::chrono::milliseconds window = std::chrono::minutes(15);
  // Failed logins per account are remembered this long (or until a success) for the throttle.
  std::chrono::milliseconds failure_window = std::chrono::hours(24);
  LoginThrottle throttle;
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
  std::optional<std::string> date_of_birth;  // YYYY-MM-DD; 18 or older (422 underage)
};

// Registration, login, refresh and logout. Throws domain::Error with the
// documented codes. Password hashing runs on the blocking pool.
//
// A login, in order (README.md, "Accounts and tokens", states the policy):
//  1. the client IP's attempt is counted (LOGIN_MAX_ATTEMPTS_PER_IP per LOGIN_RATE_WINDOW);
//  2. the account's login lock is taken (SET NX PX): one password verification in flight per
//     account across every task; a second attempt meanwhile waits for it (a double click, two
//     devices), up to 5 s, then gets 429 with Retry-After 1;
//  3. an account held by the throttle is 429 with the hold's Retry-After, password unchecked;
//  4. the attempt is counted as a failure before the password is verified (so parallel guesses
//     cannot all pass a check made before any of them is recorded), and the hold that failure
//     would earn is set;
//  5. the password is verified on the bounded blocking pool (full: 503 with Retry-After); an attempt
//     that could not be verified (that, or the database down) is given back with its hold;
//  6. a success clears the failures and the hold; the lock is released either way.
// Every step needs the KV store and fails closed (503) without it.
class AccountService {
 public:
  AccountService(store::UserRepository& users, TokenService& tokens, auth::RateLimiter& limiter, BlockingPool& blocking,
                 AccountLimits limits, const identity::EmailVerification& email)
      : users_(users), tokens_(tokens), limiter_(limiter), blocking_(blocking), limits_(limits), email_(email) {
    // The decoy hash an unknown email is verified against is made here, at start-up: made on first use
    // it cost that login an extra argon2 run on its I/O thread, which told the email was unknown.
    security::PasswordHasher::decoy_hash();
  }

  kv::Awaitable<Session> register_user(Registration input, const std::string& client_ip);
  kv::Awaitable<Session> login(std::string email, std::string password, const std::string& client_ip);
  kv::Awaitable<Session> refresh(const std::string& refresh_token);
  kv::Awaitable<void> logout(const std::string& refresh_token);
  // Signs the user out everywhere: every access and refresh token issued so far stops working on
  // the routes that check the database, and no refresh token issued so far rotates again.
  kv::Awaitable<void> logout_all(const std::string& user_id);

  // For identity providers that proved who the user is (Google sign-in: identity/google_sign_in.hpp), never
  // for a client's word. A new account with `email` (normalized) and no password: password login always
  // refuses it (invalid_credentials). REGISTER_MAX_PER_IP applies as to register_user. Throws store::EmailTaken.
  kv::Awaitable<store::UserRecord> register_without_password(std::string email, std::optional<std::string> full_name,
                                                             std::string client_ip);
  // Access and refresh tokens for a user the caller has authenticated; 403 account_locked for a locked account.
  kv::Awaitable<Session> start_session(store::UserRecord user);

 private:
  // Counts one hit against `key`; 429 over the limit. Fails closed (the KV store must answer).
  kv::Awaitable<void> enforce(const std::string& key, int limit);
  kv::Awaitable<Session> attempt_login(std::string raw_email, std::string password, std::string client_ip);
  kv::Awaitable<Session> verify_login(const std::string& email, const std::string& password);

  store::UserRepository& users_;
  TokenService& tokens_;
  auth::RateLimiter& limiter_;
  BlockingPool& blocking_;
  AccountLimits limits_;
  const identity::EmailVerification& email_;
};

}  // namespace b2w::auth
