#include "identity/email_verification.hpp"

#include "domain/error.hpp"
#include "identity/link_token.hpp"
#include "store/email_tokens.hpp"
#include "store/mail_outbox.hpp"

namespace b2w::identity {

using domain::Error;
using domain::ErrorKind;
using store::EmailTokenPurpose;

Awaitable<void> EmailVerification::mail_link(store::Tx& tx, const store::UserRecord& user) const {
  const std::string token = new_link_token();
  const auto expires =
      store::now_micros() + std::chrono::duration_cast<std::chrono::microseconds>(options_.verify_ttl).count();
  co_await store::EmailTokens::insert(tx, link_token_hash(token), user.id, EmailTokenPurpose::verify_email, expires);
  co_await store::MailOutbox::enqueue(tx, user.email, "verify_email",
                                      link_mail_params(options_.web_app_url, "verify-email", token));
}

Awaitable<void> EmailVerification::start(store::Tx& tx, const store::UserRecord& user) const {
  co_await mail_link(tx, user);
}

Awaitable<void> EmailVerification::tell_owner_of_taken_email(store::Tx& tx, const std::string& email) {
  co_await store::MailOutbox::enqueue(tx, email, "email_taken", "{}");
}

Awaitable<void> EmailVerification::verify(std::string token) {
  if (!is_link_token(token)) throw Error(ErrorKind::invalid, "invalid_token", "This link is not valid or has expired");
  const bool verified = co_await store::transaction(db_, [&](store::Tx& tx) -> Awaitable<bool> {
    const auto user_id =
        co_await store::EmailTokens::consume(tx, link_token_hash(token), EmailTokenPurpose::verify_email);
    if (!user_id) co_return false;
    co_await store::UserRepository::mark_email_verified(tx, *user_id);
    co_return true;
  });
  if (!verified) throw Error(ErrorKind::invalid, "invalid_token", "This link is not valid or has expired");
}

Awaitable<void> EmailVerification::resend(std::string user_id) {
  const auto user = co_await users_.find_by_id(user_id);
  if (!user) throw Error::not_found("No such user");
  if (user->email_verified_at)
    throw Error(ErrorKind::conflict, "email_already_verified", "This email address is verified already");
  const auto decision =
      co_await limiter_.hit("rl:email-resend:" + user_id, options_.resends_per_hour, std::chrono::hours(1));
  if (!decision.allowed)
    throw Error(ErrorKind::rate_limited, "rate_limited", "Too many verification mails; try again later")
        .retry_after(decision.reset_seconds);
  co_await store::transaction(db_, [&](store::Tx& tx) -> Awaitable<void> { co_await mail_link(tx, *user); });
}

}  // namespace b2w::identity
