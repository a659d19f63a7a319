#include "identity/phone_otp.hpp"

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <random>

#include "domain/error.hpp"
#include "observability/log.hpp"

namespace b2w::identity {

using domain::Error;
using domain::ErrorKind;
using domain::OtpPurpose;

namespace {

Error invalid_code() {
  return Error(ErrorKind::invalid, "invalid_code", "The code is wrong or has expired; ask for a new one");
}

Error too_many(std::int64_t retry_after) {
  return Error(ErrorKind::rate_limited, "rate_limited", "Too many codes asked for; try again later")
      .retry_after(std::max<std::int64_t>(retry_after, 1));
}

std::int64_t micros_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

std::string PhoneOtp::normalized_phone(const std::string& raw) {
  auto phone = domain::normalize_nigerian_mobile(raw);
  if (!phone)
    throw Error::validation("The phone number is not valid")
        .detail("phone", "must be a Nigerian mobile number, e.g. 08031234567 or +2348031234567");
  return *phone;
}

Awaitable<void> PhoneOtp::enforce_send_limits(const std::string& phone, const std::string& client_ip) {
  const auto by_ip =
      co_await limiter_.hit("rl:otp:send:ip:" + client_ip, limits_.sends_per_ip_per_hour, std::chrono::hours(1));
  if (!by_ip.allowed) throw too_many(by_ip.reset_seconds);
  // Counted whatever the phone is: the limits say nothing of whether it is registered.
  struct Window {
    const char* name;
    int limit;
    std::chrono::milliseconds length;
  };
  const Window windows[] = {{"r", 1, limits_.resend_interval},
                            {"h", limits_.sends_per_phone_per_hour, std::chrono::hours(1)},
                            {"d", limits_.sends_per_phone_per_day, std::chrono::hours(24)}};
  std::int64_t retry_after = 0;
  for (const auto& w : windows) {
    if (w.length.count() <= 0) continue;
    const auto decision = co_await limiter_.hit("rl:otp:send:" + std::string(w.name) + ":" + phone, w.limit, w.length);
    if (!decision.allowed) retry_after = std::max(retry_after, decision.reset_seconds);
  }
  if (retry_after > 0) throw too_many(retry_after);
}

Awaitable<void> PhoneOtp::pad_to_send_time() {
  // A code not sent answers no sooner than one sent would: the recent send time, ±20 %.
  thread_local std::minstd_rand jitter{std::random_device{}()};
  const auto recent = recent_send_micros_.load(std::memory_order_relaxed);
  const auto wait = recent * 8 / 10 + static_cast<std::int64_t>(jitter() % static_cast<unsigned>(recent * 4 / 10 + 1));
  boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor, std::chrono::microseconds(wait));
  co_await timer.async_wait(boost::asio::use_awaitable);
}

Awaitable<int> PhoneOtp::send(std::string raw_phone, OtpPurpose purpose, std::optional<std::string> caller,
                              std::string client_ip) {
  const auto phone = normalized_phone(raw_phone);
  if (purpose == OtpPurpose::verify_phone && !caller)
    throw Error(ErrorKind::unauthenticated, "unauthenticated", "Sign in to verify a phone number");
  if (!termii_.configured())
    throw Error(ErrorKind::unavailable, "sms_unavailable", "Text messages cannot be sent right now; try again shortly");
  co_await enforce_send_limits(phone, client_ip);

  const int lifetime = termii_.options().pin_minutes * 60;
  if (purpose != OtpPurpose::verify_phone) {
    const auto account = co_await users_.find_by_verified_phone(phone);
    if (!account) {
      co_await pad_to_send_time();
      log::info("code not sent: no account").str("phone", domain::mask_phone(phone)).str("purpose", to_string(purpose));
      co_return lifetime;
    }
  }
  const auto started = std::chrono::steady_clock::now();
  auto pin_id = co_await termii_.send_code(phone);
  const auto took = micros_since(started);
  const auto before = recent_send_micros_.load(std::memory_order_relaxed);
  recent_send_micros_.store(before + (took - before) / 8, std::memory_order_relaxed);

  const auto expires = store::now_micros() + static_cast<std::int64_t>(lifetime) * 1'000'000;
  co_await codes_.insert(phone, purpose, std::move(pin_id), std::move(caller), expires);
  log::info("code sent")
      .str("phone", domain::mask_phone(phone))
      .str("purpose", to_string(purpose))
      .num("ms", took / 1000);
  co_return lifetime;
}

Awaitable<store::PhoneOtp> PhoneOtp::checked(std::string phone, OtpPurpose purpose, std::string code,
                                             std::string client_ip, std::optional<std::string> asked_by) {
  if (!domain::is_otp_code(code, termii_.options().pin_length))
    throw Error::validation("The code is not valid")
        .detail("code", std::to_string(termii_.options().pin_length) + " digits");
  const auto by_ip =
      co_await limiter_.hit("rl:otp:check:ip:" + client_ip, limits_.checks_per_ip_per_hour, std::chrono::hours(1));
  if (!by_ip.allowed)
    throw Error(ErrorKind::rate_limited, "rate_limited", "Too many attempts; try again later")
        .retry_after(std::max<std::int64_t>(by_ip.reset_seconds, 1));
  // The check is counted before Termii is asked, so parallel guesses cannot pass the bound.
  auto claimed = co_await codes_.claim_check(phone, purpose, limits_.checks_per_code);
  if (!claimed) throw invalid_code();
  // verify_phone: only the account that asked for the code may use it (before Termii spends it).
  if (purpose == OtpPurpose::verify_phone && claimed->user_id != asked_by) throw invalid_code();
  std::optional<PinCheck> answer;
  try {
    answer = co_await termii_.check_code(claimed->pin_id, std::move(code));
  } catch (const Error&) {
    // Termii could not answer: the check was not made.
  }
  if (!answer) {
    co_await codes_.unclaim_check(claimed->id);
    throw Error(ErrorKind::unavailable, "sms_unavailable", "Codes cannot be checked right now; try again shortly");
  }
  if (*answer != PinCheck::verified) {
    log::info("wrong code")
        .str("phone", domain::mask_phone(phone))
        .str("purpose", to_string(purpose))
        .num("attempt", claimed->attempts);
    throw invalid_code();
  }
  co_return std::move(*claimed);
}

Awaitable<store::UserRecord> PhoneOtp::verify_phone(std::string caller, std::string raw_phone, std::string code,
                                                    std::string client_ip) {
  const auto phone = normalized_phone(raw_phone);
  const auto otp = co_await checked(phone, OtpPurpose::verify_phone, std::move(code), client_ip, caller);
  bool used = false;
  try {
    used = co_await store::transaction(users_.database(), [&](store::Tx& tx) -> Awaitable<bool> {
      const bool fresh = co_await store::PhoneOtpRepository::use(tx, otp.id);
      if (!fresh) co_return false;
      co_await store::UserRepository::set_verified_phone(tx, caller, phone);
      co_return true;
    });
  } catch (const store::PhoneTaken&) {
    throw Error(ErrorKind::conflict, "phone_taken", "This phone number is verified on another account");
  }
  if (!used) throw invalid_code();
  auto user = co_await users_.find_by_id(caller);
  if (!user) throw invalid_code();
  log::info("phone verified").str("user_id", caller).str("phone", domain::mask_phone(phone));
  co_return std::move(*user);
}

Awaitable<auth::Session> PhoneOtp::sign_in(std::string raw_phone, std::string code, std::string client_ip) {
  const auto phone = normalized_phone(raw_phone);
  const auto otp = co_await checked(phone, OtpPurpose::login, std::move(code), client_ip, std::nullopt);
  auto user = co_await users_.find_by_verified_phone(phone);
  if (!user) throw invalid_code();  // the phone left its account since the code was sent
  const std::string id = otp.id;
  const bool used = co_await store::transaction(users_.database(), [&id](store::Tx& tx) -> Awaitable<bool> {
    const bool fresh = co_await store::PhoneOtpRepository::use(tx, id);
    co_return fresh;
  });
  if (!used) throw invalid_code();
  log::info("signed in by phone").str("user_id", user->id);
  auto session = co_await accounts_.start_session(std::move(*user));
  co_return session;
}

Awaitable<std::optional<store::UserRecord>> PhoneOtp::account_of(std::string raw_phone) {
  auto user = co_await users_.find_by_verified_phone(normalized_phone(raw_phone));
  co_return user;
}

Awaitable<void> PhoneOtp::reset_password(std::string raw_phone, std::string code, std::string client_ip,
                                         ResetAction then) {
  const auto phone = normalized_phone(raw_phone);
  const auto otp = co_await checked(phone, OtpPurpose::password_reset, std::move(code), client_ip, std::nullopt);
  auto user = co_await users_.find_by_verified_phone(phone);
  if (!user) throw invalid_code();
  const std::string id = otp.id;
  const store::UserRecord& account = *user;
  const bool used = co_await store::transaction(users_.database(), [&](store::Tx& tx) -> Awaitable<bool> {
    const bool fresh = co_await store::PhoneOtpRepository::use(tx, id);
    if (!fresh) co_return false;
    co_await then(tx, account);
    co_return true;
  });
  if (!used) throw invalid_code();
}

}  // namespace b2w::identity
