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

Awaitable<std::string> PasswordReset::checked_hash(std::string new_password, std::string email) {
  if (auto problem = domain::password_problem(new_password, {email}))
    throw Error::validation("The new password is not valid").detail("new_password", *problem);
  // Reference captures only: GCC 12 copies lambdas inside co_await expressions bitwise.
  const std::string& password = new_password;
  auto hash = co_await blocking_.run([&password] { return security::PasswordHasher::hash(password); });
  co_return hash;
}

Awaitable<void> PasswordReset::reset(std::string token, std::string new_password) {
  if (!is_link_token(token)) throw invalid_token();
  const auto hash_of_token = link_token_hash(token);
  const auto user_id = co_await store::EmailTokens::peek(db_, hash_of_token, EmailTokenPurpose::reset_password);
  if (!user_id) throw invalid_token();
  const auto user = co_await users_.find_by_id(*user_id);
  if (!user) throw invalid_token();
  auto password_hash = co_await checked_hash(new_password, user->email);
  // The token is used in the same transaction that changes the password: two resets with one link, one wins.
  const bool changed = co_await store::transaction(db_, [&](store::Tx& tx) -> Awaitable<bool> {
    const auto used_by = co_await store::EmailTokens::consume(tx, hash_of_token, EmailTokenPurpose::reset_password);
    if (!used_by) co_return false;
    co_await store::UserRepository::set_password(tx, *used_by, std::move(password_hash));
    co_return true;
  });
  if (!changed) throw invalid_token();
}

Awaitable<void> PasswordReset::reset_with_code(std::string phone, std::string code, std::string new_password,
                                               std::string client_ip) {
  // The rules that need no account first: what comes back says nothing of whether the phone has one.
  if (auto problem = domain::password_problem(new_password, {}))
    throw Error::validation("The new password is not valid").detail("new_password", *problem);
  const auto account = co_await phone_codes_.account_of(phone);
  std::string email;
  if (account) email = account->email;
  std::string password_hash = co_await checked_hash(new_password, email);
  // Reference captures only (GCC 12, as above).
  PhoneOtp::ResetAction then = [&password_hash](store::Tx& tx, const store::UserRecord& user) -> Awaitable<void> {
    co_await store::UserRepository::set_password(tx, user.id, std::move(password_hash));
  };
  co_await phone_codes_.reset_password(std::move(phone), std::move(code), std::move(client_ip), std::move(then));
}

Awaitable<std::pair<std::string, int>> PasswordReset::token_for_code(std::string phone, std::string code,
                                                                     std::string client_ip) {
  const std::string token = new_link_token();
  const auto expires =
      store::now_micros() + std::chrono::duration_cast<std::chrono::microseconds>(options_.ttl).count();
  const std::string hash_of_token = link_token_hash(token);
  PhoneOtp::ResetAction then = [&hash_of_token, &expires](store::Tx& tx,
                                                          const store::UserRecord& user) -> Awaitable<void> {
    co_await store::EmailTokens::insert(tx, hash_of_token, user.id, EmailTokenPurpose::reset_password, expires);
  };
  co_await phone_codes_.reset_password(std::move(phone), std::move(code), std::move(client_ip), std::move(then));
  co_return std::make_pair(token,
                           static_cast<int>(std::chrono::duration_cast<std::chrono::seconds>(options_.ttl).count()));
}

}  // namespace b2w::identity
