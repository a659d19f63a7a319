#pragma once
// Paystack's list of Nigerian banks (GET /bank), kept in memory for GET /wallet/banks and payout accounts' names.
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "payments/paystack.hpp"
#include "util/awaitable.hpp"
#include "util/refresh_policy.hpp"
#include "util/single_flight_cache.hpp"

namespace b2w::payments {

using BankList = std::shared_ptr<const std::vector<Bank>>;

// The cache's rules (RefreshPolicy's, unit-tested) with the list's figures: fresh for the TTL, and after a failed
// fetch the next waits kRetryAfterFailure, so Paystack being down costs requests nothing while a list exists.
class BankCachePolicy : public RefreshPolicy<std::vector<Bank>> {
 public:
  static constexpr std::chrono::seconds kRetryAfterFailure{30};

  explicit BankCachePolicy(std::chrono::milliseconds ttl)
      : RefreshPolicy({.fresh_for = ttl, .retry_after_failure = kRetryAfterFailure}) {}

  using RefreshPolicy::fetched;
  void fetched(BankList banks, Time now) { fetched(std::move(banks), std::nullopt, now); }
  const BankList& banks() const { return value(); }
};

struct BankDirectoryOptions {
  std::chrono::milliseconds ttl = std::chrono::hours(6);  // PAYSTACK_BANKS_TTL
  // How long a request waits for the fetch in flight when there is no list at all (the fetch's own pages are
  // each bounded by PAYSTACK_TIMEOUT and go on without it).
  std::chrono::milliseconds wait = std::chrono::seconds(20);
};

// BankCachePolicy over PaystackClient::list_banks, shared by every I/O thread: a SingleFlightCache (one fetch in
// flight, never blocking a thread).
class BankDirectory {
 public:
  BankDirectory(PaystackClient& paystack, BankDirectoryOptions options);
  ~BankDirectory();
  BankDirectory(const BankDirectory&) = delete;
  BankDirectory& operator=(const BankDirectory&) = delete;

  // The banks, by name. Throws domain::Error unavailable `banks_unavailable` when there is no list and none
  // arrived within the wait.
  Awaitable<BankList> banks();
  // The name of the bank with this code in the list held now (no fetch); nullopt when unknown or no list yet.
  std::optional<std::string> name_of(const std::string& code) const;

 private:
  SingleFlightCache<BankCachePolicy> cache_;
};

}  // namespace b2w::payments
