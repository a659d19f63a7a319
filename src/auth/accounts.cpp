#include "auth/accounts.hpp"

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "domain/accounts.hpp"
#include "domain/error.hpp"
#include "domain/passwords.hpp"
#include "domain/text.hpp"
#include "limits/player_controls.hpp"
#include "observability/metrics.hpp"
#include "security/password.hpp"
#include "util/ids.hpp"

namespace b2w::auth {

using domain::Error;
using domain::ErrorKind;

namespace {

// Longer than a verification can take, queue included (the blocking pool's queue is bounded), so it
// only matters when a task dies holding it.
constexpr std::chrono::seconds kLoginLockTtl{10};
// How long a login waits for another one of the same account (a double click, two devices) before 429.
constexpr std::chrono::seconds kLoginLockWait{5};

std::int64_t seconds_up(std::chrono::milliseconds ms) {
  return std::max<std::int64_t>(1, (ms.count() + 999) / 1000);
}

Error too_many(std::int64_t retry_after) {
  return Error(ErrorKind::rate_limited, "rate_limited", "Too many attempts; try again later").retry_after(retry_after);
}

Error invalid_credentials() {
  return Error(ErrorKind::unauthenticated, "invalid_credentials", "The email or password is incorrect");
}

Error token_error(RefreshOutcome outcome) {
  switch (outcome) {
    case RefreshOutcome::reused:
      return Error(ErrorKind::unauthenticated, "token_reused",
                   "This refresh token was already used; every session of this account has been revoked");
    case RefreshOutcome::expired:
      return Error(ErrorKind::unauthenticated, "token_expired", "The refresh token has expired");
    default:
      return Error(ErrorKind::unauthenticated, "invalid_token", "The refresh token is not valid");
  }
}

}  // namespace

kv::Awaitable<void> AccountService::enforce(const std::string& key, int limit) {
  const auto decision = co_await limiter_.hit(key, limit, limits_.window);
  if (!decision.allowed) throw too_many(decision.reset_seconds);
}

kv::Awaitable<Session> AccountService::register_user(Registration input, const std::string& client_ip) {
  Error invalid = Error::validation("The registration is not valid");
  bool failed = false;
  auto email = domain::normalize_email(input.email);
  if (!email) invalid.detail("email", "must be a valid email address"), failed = true;
  if (auto problem = domain::password_problem(input.password, {email ? std::string_view(*email) : std::string_view()}))
    invalid.detail("password", *problem), failed = true;
  std::optional<std::string> phone;
  if (input.phone) {
    phone = domain::normalize_phone(*input.phone);
    if (!phone) invalid.detail("phone", "must be a phone number, e.g. 08031234567 or +2348031234567"), failed = true;
  }
  if (input.full_name)
    if (auto problem = domain::display_text_problem(*input.full_name, 200))
      invalid.detail("full_name", *problem), failed = true;
  if (input.date_of_birth && !domain::parse_date(*input.date_of_birth))
    invalid.detail("date_of_birth", "a date such as 1990-06-15"), failed = true;
  if (failed) throw invalid;
  std::optional<std::string> date_of_birth;
  if (input.date_of_birth)
    date_of_birth = limits::PlayerControls::adult_date_of_birth(*input.date_of_birth, store::now_micros());

  co_await enforce("rl:register:ip:" + client_ip, limits_.max_registrations_per_ip);
  // Reference captures only: GCC 12 copies lambdas inside co_await expressions bitwise.
  const std::string& password = input.password;
  auto hash = co_await blocking_.run([&password] { return security::PasswordHasher::hash(password); });
  store::UserRecord user;
  bool taken = false;
  const identity::EmailVerification& mail = email_;
  try {
    // The verification mail and the date of birth are written with the account, in its transaction.
    user = co_await users_.create(
        *email, std::move(hash), std::move(input.full_name), std::move(phone), "user",
        [&mail, &date_of_birth](store::Tx& tx, const store::UserRecord& created) -> store::Awaitable<void> {
          if (date_of_birth) co_await store::UserRepository::set_date_of_birth(tx, created.id, *date_of_birth);
          co_await mail.start(tx, created);
        });
    user.date_of_birth = date_of_birth;
  } catch (const store::EmailTaken&) {
    taken = true;
  }
  if (taken) {
    // The address's owner hears of it, once an hour at most (the per-IP limit bounds the rest).
    const auto told = co_await limiter_.hit("rl:email-taken:" + *email, 1, std::chrono::hours(1));
    if (told.allowed)
      co_await store::transaction(users_.database(), [&](store::Tx& tx) -> store::Awaitable<void> {
        co_await identity::EmailVerification::tell_owner_of_taken_email(tx, *email);
      });
    throw Error(ErrorKind::conflict, "email_taken", "An account with this email already exists");
  }
  auto tokens = co_await tokens_.issue(user.id, user.role, user.token_version);
  co_return Session{std::move(user), std::move(tokens)};
}

kv::Awaitable<store::UserRecord> AccountService::register_without_password(std::string email,
                                                                           std::optional<std::string> full_name,
                                                                           std::string client_ip) {
  co_await enforce("rl:register:ip:" + client_ip, limits_.max_registrations_per_ip);
  auto user = co_await users_.create(std::move(email), std::string(security::PasswordHasher::kNoPassword),
                                     std::move(full_name), std::nullopt);
  co_return user;
}

kv::Awaitable<Session> AccountService::start_session(store::UserRecord user) {
  // A locked account signs in no way (password, Google, phone code); its tokens were revoked by the lock.
  if (user.locked_at) throw Error(ErrorKind::forbidden, "account_locked", "This account is locked; contact support");
  auto tokens = co_await tokens_.issue(user.id, user.role, user.token_version);
  co_return Session{std::move(user), std::move(tokens)};
}

kv::Awaitable<Session> AccountService::login(std::string raw_email, std::string password,
                                             const std::string& client_ip) {
  // Counted as a refusal by the throttle or a rate limit, a refusal on the credentials (or a locked account), or a
  // success; a 503 (a dependency away) is counted as such, not here.
  std::optional<Session> session;
  try {
    session = co_await attempt_login(raw_email, password, client_ip);
  } catch (const Error& e) {
    metrics::add(e.kind() == ErrorKind::rate_limited ? metrics::Counter::logins_limited
                                                     : metrics::Counter::logins_failed);
    throw;
  }
  metrics::add(metrics::Counter::logins_succeeded);
  co_return std::move(*session);
}

kv::Awaitable<Session> AccountService::attempt_login(std::string raw_email, std::string password,
                                                     std::string client_ip) {
  const auto email = domain::normalize_email(raw_email).value_or(raw_email);
  co_await enforce("rl:login:ip:" + client_ip, limits_.max_login_attempts_per_ip);

  // One verification in flight per account, across every task: parallel guesses cannot race the count.
  const std::string lock_key = "lock:login:" + email;
  auto token = co_await limiter_.try_lock(lock_key, kLoginLockTtl);
  const auto give_up = std::chrono::steady_clock::now() + kLoginLockWait;
  std::chrono::milliseconds pause{10};
  while (!token) {
    // The other attempt's verification takes tens of milliseconds: look again soon, then less often.
    if (std::chrono::steady_clock::now() + pause > give_up) throw too_many(1);
    boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor, pause);
    co_await timer.async_wait(boost::asio::use_awaitable);
    pause = std::min(pause * 2, std::chrono::milliseconds(200));
    token = co_await limiter_.try_lock(lock_key, kLoginLockTtl);
  }
  std::exception_ptr failure;
  std::optional<Session> session;
  try {
    session = co_await verify_login(email, password);
  } catch (...) {
    failure = std::current_exception();
  }
  try {
    co_await limiter_.unlock(lock_key, *token);
  } catch (const ServiceUnavailable&) {
    // The lock's TTL frees it; the answer already decided stands.
  }
  if (failure) std::rethrow_exception(failure);
  co_return std::move(*session);
}

kv::Awaitable<Session> AccountService::verify_login(const std::string& email, const std::string& password) {
  const std::string failures_key = "rl:login:fail:" + email;
  const std::string hold_key = "rl:login:hold:" + email;
  const auto& throttle = limits_.throttle;
  const auto held = co_await limiter_.held_for(hold_key);
  if (held.count() > 0) {
    const auto failures = co_await limiter_.peek(failures_key);
    auto refused = too_many(seconds_up(held));
    // The extension point for a challenge (CAPTCHA): with a provider, a solved challenge would let
    // a person through this hold. None is configured, so the answer only says one would be needed.
    if (throttle.challenge_required(failures)) refused.detail("challenge", "required");
    throw refused;
  }
  // Counted as a failure before the verification, with the hold that failure earns: a success undoes both.
  const auto failures = co_await limiter_.count(failures_key, limits_.failure_window);
  const auto hold = throttle.hold_after(failures);
  if (hold.count() > 0) co_await limiter_.hold(hold_key, hold);

  std::optional<store::UserRecord> user;
  bool ok = false;
  std::exception_ptr unavailable;
  try {
    user = co_await users_.find_by_email(email);
    // An unknown email, or an account without a password (Google sign-in), costs the same argon2 verification
    // as a wrong password: the three are indistinguishable. Only a usable hash of the account itself can pass.
    const bool has_password = user && security::PasswordHasher::usable(user->password_hash);
    const std::string& stored = has_password ? user->password_hash : security::PasswordHasher::decoy_hash();
    const bool matches =
        co_await blocking_.run([&password, &stored] { return security::PasswordHasher::verify(password, stored); });
    ok = matches && has_password;
  } catch (const ServiceUnavailable&) {
    unavailable = std::current_exception();
  }
  if (unavailable) {
    // Not verified (the database is down, the hashing queue is full): not the user's failure. The
    // attempt is given back, and the hold it set (there was none before it) is lifted.
    co_await limiter_.uncount(failures_key, limits_.failure_window);
    if (hold.count() > 0) co_await limiter_.reset(hold_key);
    std::rethrow_exception(unavailable);
  }
  if (!ok || !user) throw invalid_credentials();
  co_await limiter_.reset(failures_key);
  co_await limiter_.reset(hold_key);
  auto session = co_await start_session(std::move(*user));
  co_return session;
}

kv::Awaitable<Session> AccountService::refresh(const std::string& refresh_token) {
  const auto next_jti = random_hex(16);
  auto rotation = co_await tokens_.rotate(refresh_token, next_jti);
  if (rotation.outcome == RefreshOutcome::reused) {
    // Someone else holds a copy of this account's refresh token: end every session, not only the family.
    co_await users_.revoke_tokens(rotation.user_id);
    throw token_error(rotation.outcome);
  }
  if (rotation.outcome != RefreshOutcome::rotated) throw token_error(rotation.outcome);
  auto user = co_await users_.find_by_id(rotation.user_id);
  if (!user) throw token_error(RefreshOutcome::invalid);
  if (rotation.version != user->token_version) {
    // Issued before a logout-all or another revocation: the family ends here too.
    co_await tokens_.revoke(refresh_token);
    throw Error(ErrorKind::unauthenticated, "token_revoked", "This token was revoked; sign in again");
  }
  // The role comes from the database, so a promotion or demotion shows in the next access token.
  co_return Session{*user, tokens_.pair_for(user->id, user->role, user->token_version, rotation.family, next_jti)};
}

kv::Awaitable<void> AccountService::logout(const std::string& refresh_token) {
  const bool revoked = co_await tokens_.revoke(refresh_token);
  if (!revoked) throw token_error(RefreshOutcome::invalid);
}

kv::Awaitable<void> AccountService::logout_all(const std::string& user_id) {
  // The result is taken apart from the test: GCC 12 miscompiles co_await inside an if condition that throws.
  const bool revoked = co_await users_.revoke_tokens(user_id);
  if (!revoked) throw Error(ErrorKind::unauthenticated, "invalid_token", "The account no longer exists");
}

}  // namespace b2w::auth
