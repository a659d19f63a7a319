#pragma once
#include <chrono>
#include <cstdint>

namespace b2w::auth {

// Per-account login throttling: a slowdown that grows, not a lockout. The first
// `free_failures` failed logins in the failure window cost nothing; from then on every failure
// holds the account for `base`, doubling with each further failure up to `max`. While held, a
// login for the account is answered 429 without checking the password. A success clears it all.
//
// So ten wrong passwords from a stranger hold the owner up for `base` (5 s by default), not a
// quarter of an hour; keeping an account held costs the attacker a failure per hold, each from
// the per-IP budget too, and the guesses an attacker gets per account stay bounded (with the
// defaults: 10 free, then 8 more in about 20 minutes, then one per 15 minutes: ~110 a day).
struct LoginThrottle {
  int free_failures = 10;
  std::chrono::milliseconds base = std::chrono::seconds(5);
  std::chrono::milliseconds max = std::chrono::minutes(15);

  // How long the account is held after its `failures`th failure in the window (0: not at all).
  std::chrono::milliseconds hold_after(std::int64_t failures) const;
  // A login to this account would need a solved challenge (a CAPTCHA) to skip the hold: the
  // extension point for a challenge provider; none is configured, so responses only say so.
  bool challenge_required(std::int64_t failures) const { return failures >= free_failures; }
};

}  // namespace b2w::auth
