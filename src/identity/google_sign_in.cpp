#include "identity/google_sign_in.hpp"

#include <variant>

#include "domain/accounts.hpp"
#include "domain/error.hpp"
#include "domain/text.hpp"
#include "observability/log.hpp"

namespace b2w::identity {

using domain::Error;
using domain::ErrorKind;

namespace {

Error invalid_google_token() {
  return Error(ErrorKind::unauthenticated, "invalid_google_token", "The Google sign-in could not be verified");
}

Error google_unavailable() {
  return Error(ErrorKind::unavailable, "google_unavailable", "Google sign-in is unavailable; try again shortly");
}

// The refusal's reason is for operators; the client only learns that the token was not accepted.
void log_refusal(std::string_view reason) {
  log::info("google sign-in refused").str("reason", reason);
}

std::int64_t system_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

// Google's display name becomes the account's full name when it passes our own rule for one.
std::optional<std::string> full_name_from(const std::string& name) {
  if (name.empty() || domain::display_text_problem(name, 200)) return std::nullopt;
  return name;
}

}  // namespace

GoogleSignIn::GoogleSignIn(GoogleKeys& keys, store::GoogleIdentityRepository& identities, store::UserRepository& users,
                           auth::AccountService& accounts, std::string client_id, SystemClock now_seconds)
    : keys_(keys),
      identities_(identities),
      users_(users),
      accounts_(accounts),
      client_id_(std::move(client_id)),
      now_seconds_(now_seconds ? std::move(now_seconds) : SystemClock(system_seconds)) {}

Awaitable<GoogleSignInResult> GoogleSignIn::sign_in(std::string id_token, std::string client_ip) {
  if (!configured()) throw google_unavailable();
  auto claims = co_await verified_claims(std::move(id_token));
  auto email = domain::normalize_email(claims.email);
  if (!email) {
    log_refusal("email_unusable");
    throw invalid_google_token();
  }
  auto result = co_await account_for(std::move(claims), std::move(*email), std::move(client_ip));
  log::info("google sign-in").str("user_id", result.session.user.id).flag("created", result.created);
  co_return result;
}

Awaitable<security::GoogleClaims> GoogleSignIn::verified_claims(std::string id_token) {
  auto keys = co_await keys_.current();
  auto outcome = security::verify_google_id_token(id_token, *keys, client_id_, now_seconds_());
  const auto* error = std::get_if<security::GoogleTokenError>(&outcome);
  if (error && *error == security::GoogleTokenError::unknown_kid) {
    // Google may have rotated its keys since the set was fetched: one more look (rationed by GoogleKeys).
    auto newer = co_await keys_.after_unknown_kid();
    outcome = security::verify_google_id_token(id_token, *newer, client_id_, now_seconds_());
    error = std::get_if<security::GoogleTokenError>(&outcome);
  }
  if (error) {
    log_refusal(security::google_token_error_name(*error));
    throw invalid_google_token();
  }
  co_return std::get<security::GoogleClaims>(std::move(outcome));
}

Awaitable<GoogleSignInResult> GoogleSignIn::account_for(security::GoogleClaims claims, std::string email,
                                                        std::string client_ip) {
  // 1. A Google account linked before signs in to its account, whatever its email says today.
  auto linked = co_await identities_.find(claims.sub);
  std::optional<store::UserRecord> user;
  if (linked) user = co_await users_.find_by_id(linked->user_id);

  // 2. Otherwise an account with the same (Google-verified) email, or 3. a new one.
  bool created = false;
  if (!user) user = co_await users_.find_by_email(email);
  if (!user) {
    bool taken = false;
    auto full_name = full_name_from(claims.name);
    try {
      auto made = co_await accounts_.register_without_password(email, std::move(full_name), client_ip);
      user = std::move(made);
      created = true;
    } catch (const store::EmailTaken&) {
      taken = true;  // a concurrent sign-in or registration made it first: that account is the one
    }
    if (taken) user = co_await users_.find_by_email(email);
    if (!user) throw google_unavailable();  // made and gone at once (not expected): retrying is the answer
  }

  if (!linked || linked->user_id != user->id) {
    // A Google account is never moved between our accounts: the first link stands, and a sign-in that raced
    // another one goes to the account the link names.
    const auto owner = co_await identities_.link(claims.sub, user->id, email);
    if (owner != user->id) {
      auto owner_user = co_await users_.find_by_id(owner);
      if (!owner_user) throw google_unavailable();
      user = std::move(owner_user);
      created = false;
    }
  }
  // Google verified this address: when it is the account's own, so is the account's email.
  if (!user->email_verified_at && user->email == email) {
    const std::string id = user->id;
    co_await store::transaction(users_.database(), [&id](store::Tx& tx) -> Awaitable<void> {
      co_await store::UserRepository::mark_email_verified(tx, id);
    });
    user->email_verified_at = store::now_micros();
  }
  auto session = co_await accounts_.start_session(std::move(*user));
  co_return GoogleSignInResult{std::move(session), created};
}

}  // namespace b2w::identity
