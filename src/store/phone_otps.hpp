#pragma once
#include <cstdint>
#include <optional>
#include <string>

#include "domain/phone_otp.hpp"
#include "store/db/database.hpp"

namespace b2w::store {

// A code sent to a phone (table phone_otps, migration 013): Termii holds the code, we hold its pin id.
struct PhoneOtp {
  std::string id;
  std::string pin_id;
  std::optional<std::string> user_id;  // verify_phone: the account that asked
  int attempts = 0;                    // checks made, this one included
};

class PhoneOtpRepository {
 public:
  explicit PhoneOtpRepository(Database& db) : db_(db) {}

  Awaitable<void> insert(std::string phone, domain::OtpPurpose purpose, std::string pin_id,
                         std::optional<std::string> user_id, std::int64_t expires_at);
  // Counts one check against the newest code sent to `phone` for `purpose`, if it is unused, unexpired and has
  // had fewer than `max_attempts` checks: the code, or nullopt (nothing to check against). A newer code
  // replaces older ones. One conditional statement, so parallel guesses cannot exceed the bound.
  Awaitable<std::optional<PhoneOtp>> claim_check(std::string phone, domain::OtpPurpose purpose, int max_attempts);
  // Gives back a check that could not be made (Termii unreachable).
  Awaitable<void> unclaim_check(std::string id);
  // Uses the code once, in the transaction that acts on it: false when it was used already.
  static Awaitable<bool> use(Tx& tx, std::string id);

 private:
  Database& db_;
};

}  // namespace b2w::store
