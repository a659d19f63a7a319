#pragma once
#include <chrono>
#include <functional>
#include <string>

#include "auth/accounts.hpp"
#include "identity/google_keys.hpp"
#include "store/google_identities.hpp"
#include "store/users.hpp"

namespace b2w::identity {

struct GoogleSignInResult {
  auth::Session session;
  bool created = false;  // a new account was made for this Google user
};

// POST /auth/google: a Google ID token in, our tokens out. Throws domain::Error:
//  - unavailable `google_unavailable`: no GOOGLE_OAUTH_CLIENT_ID, or no Google key set could be had in time;
//  - unauthenticated `invalid_google_token`: any verification failure (the reason goes to the log only);
//  - rate_limited `rate_limited` when an account would be created past REGISTER_MAX_PER_IP.
// Who signs in is decided by Google's word only, in order: the account the Google `sub` is linked to; else the
// account with the token's verified email (normalized as ours are), which gets the `sub` linked; else a new
// account without a password, linked likewise. Nothing the client says besides the token counts.
class GoogleSignIn {
 public:
  using SystemClock = std::function<std::int64_t()>;  // seconds since the epoch

  GoogleSignIn(GoogleKeys& keys, store::GoogleIdentityRepository& identities, store::UserRepository& users,
               auth::AccountService& accounts, std::string client_id, SystemClock now_seconds = {});

  bool configured() const { return !client_id_.empty(); }
  Awaitable<GoogleSignInResult> sign_in(std::string id_token, std::string client_ip);

 private:
  Awaitable<security::GoogleClaims> verified_claims(std::string id_token);
  // The account the Google user signs in to, made and linked when needed.
  Awaitable<GoogleSignInResult> account_for(security::GoogleClaims claims, std::string email, std::string client_ip);

  GoogleKeys& keys_;
  store::GoogleIdentityRepository& identities_;
  store::UserRepository& users_;
  auth::AccountService& accounts_;
  std::string client_id_;
  SystemClock now_seconds_;
};

}  // namespace b2w::identity
