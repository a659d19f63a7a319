#pragma once
#include <atomic>
#include <chrono>
#include <functional>
#include <optional>
#include <string>

#include "auth/accounts.hpp"
#include "auth/rate_limiter.hpp"
#include "domain/phone_otp.hpp"
#include "identity/termii.hpp"
#include "store/phone_otps.hpp"
#include "store/users.hpp"

namespace b2w::identity {

// SMS costs money and is the classic abuse target: every bound here is counted before Termii is called.
struct OtpLimits {
  std::chrono::milliseconds resend_interval = std::chrono::minutes(1);  // one send per phone per this; 0: none
  int sends_per_phone_per_hour = 5;
  int sends_per_phone_per_day = 10;
  int sends_per_ip_per_hour = 20;
  int checks_per_ip_per_hour = 60;
  int checks_per_code = 5;  // Termii is told the same (pin_attempts)
};

// Phone one-time codes through Termii: send, and the checks behind verify_phone, login and password_reset.
// Throws domain::Error:
//  - invalid `validation_error` (not a Nigerian mobile; a code of the wrong form), `invalid_code` (wrong,
//    expired, used, superseded, too many checks, or no code was sent);
//  - unauthenticated `unauthenticated` (verify_phone without a signed-in caller);
//  - rate_limited `rate_limited` with Retry-After; conflict `phone_taken` (verified by another account);
//  - unavailable `sms_unavailable` (Termii not configured, down, slow past TERMII_TIMEOUT): nothing recorded.
// Sending for login or password_reset answers the same whether or not the phone is an account's verified
// phone; a code is sent only when it is, and the answer is then padded to the time a send recently took.
class PhoneOtp {
 public:
  PhoneOtp(Termii& termii, store::PhoneOtpRepository& codes, store::UserRepository& users, auth::RateLimiter& limiter,
           auth::AccountService& accounts, OtpLimits limits = {})
      : termii_(termii), codes_(codes), users_(users), limiter_(limiter), accounts_(accounts), limits_(limits) {}

  // Seconds the code lives.
  Awaitable<int> send(std::string phone, domain::OtpPurpose purpose, std::optional<std::string> caller,
                      std::string client_ip);
  // verify_phone: the caller's phone becomes `phone`, verified. Returns the user as it is now.
  Awaitable<store::UserRecord> verify_phone(std::string caller, std::string phone, std::string code,
                                            std::string client_ip);
  // login: a session for the account whose verified phone it is.
  Awaitable<auth::Session> sign_in(std::string phone, std::string code, std::string client_ip);
  // password_reset: the code is used inside `then`'s transaction, with the account it resets. False: unusable.
  using ResetAction = std::function<Awaitable<void>(store::Tx&, const store::UserRecord&)>;
  Awaitable<void> reset_password(std::string phone, std::string code, std::string client_ip, ResetAction then);
  // The account a password_reset code would reset (for checking a new password before the code is spent).
  Awaitable<std::optional<store::UserRecord>> account_of(std::string phone);

  static std::string normalized_phone(const std::string& raw);  // 422 validation_error otherwise

 private:
  // Counts one check (per IP, per code) and asks Termii: the code's record when Termii says it is right.
  Awaitable<store::PhoneOtp> checked(std::string phone, domain::OtpPurpose purpose, std::string code,
                                     std::string client_ip, std::optional<std::string> asked_by);
  Awaitable<void> enforce_send_limits(const std::string& phone, const std::string& client_ip);
  Awaitable<void> pad_to_send_time();

  Termii& termii_;
  store::PhoneOtpRepository& codes_;
  store::UserRepository& users_;
  auth::RateLimiter& limiter_;
  auth::AccountService& accounts_;
  OtpLimits limits_;
  std::atomic<std::int64_t> recent_send_micros_{300'000};  // a moving average of Termii's send time
};

}  // namespace b2w::identity
