#include "identity/password_reset.hpp"

#include "domain/accounts.hpp"
#include "domain/error.hpp"
#include "domain/passwords.hpp"
#include "identity/link_token.hpp"
#include "security/password.hpp"
#include "store/email_tokens.hpp"
#include "store/mail_outbox.hpp"

namespace b2w::identity {

using domain::Error;
using domain::ErrorKind;
using store::EmailTokenPurpose;

namespace {

Error invalid_token() {
  return Error(ErrorKind::invalid, "invalid_token", "This link is not valid or has expired");
}

}  // namespace

Awaitable<void> PasswordReset::request(std::string raw_email, std::string client_ip) {
  const auto by_ip =
      co_await limiter_.hit("rl:reset:ip:" + client_ip, options_.requests_per_ip_per_hour, std::chrono::hours(1));
  if (!by_ip.allowed)
    throw Error(ErrorKind::rate_limited, "rate_limited", "Too many requests; try again later")
        .retry_after(by_ip.reset_seconds);
  const auto email = domain::normalize_email(raw_email);
  if (!email) co_return;  // no such account can exist: the same answer
  const auto by_email =
      co_await limiter_.hit("rl:reset:email:" + *email, options_.requests_per_email_per_hour, std::chrono::hours(1));
  if (!by_email.allowed) co_return;
  const auto user = co_await users_.find_by_email(*email);
  if (!user) co_return;
  const std::string token = new_link_token();
  const auto expires =
      store::now_micros() + std::chrono::duration_cast<std::chrono::microseconds>(options_.ttl).count();
  const std::string params = link_mail_params(options_.web_app_url, "reset-password", token);
  co_await store::transaction(db_, [&](store::Tx& tx) -> Awaitable<void> {
    co_await store::EmailTokens::insert(tx, link_token_hash(token), user->id, EmailTokenPurpose::reset_password,
                                        expires);
    co_await store::MailOutbox::enqueue(tx, user->email, "reset_password", params);
  });
}

Awaitable<void> PasswordReset::reset(std::string token, std::string new_password) {
  if (!is_link_token(token)) throw invalid_token();
  const auto hash_of_token = link_token_hash(token);
  const auto user_id = co_await store::EmailTokens::peek(db_, hash_of_token, EmailTokenPurpose::reset_password);
  if (!user_id) throw invalid_token();
  const auto user = co_await users_.find_by_id(*user_id);
  if (!user) throw invalid_token();
  if (auto problem = domain::password_problem(new_password, {user->email}))
    throw Error::validation("The new password is not valid").detail("new_password", *problem);
  // Reference captures only: GCC 12 copies lambdas inside co_await expressions bitwise.
  const std::string& password = new_password;
  auto password_hash = co_await blocking_.run([&password] { return security::PasswordHasher::hash(password); });
  // The token is used in the same transaction that changes the password: two resets with one link, one wins.
  const bool changed = co_await store::transaction(db_, [&](store::Tx& tx) -> Awaitable<bool> {
    const auto used_by = co_await store::EmailTokens::consume(tx, hash_of_token, EmailTokenPurpose::reset_password);
    if (!used_by) co_return false;
    co_await store::UserRepository::set_password(tx, *used_by, std::move(password_hash));
    co_return true;
  });
  if (!changed) throw invalid_token();
}

}  // namespace b2w::identity
