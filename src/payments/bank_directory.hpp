#pragma once
// Paystack's list of Nigerian banks (GET /bank), kept in memory for GET /wallet/banks and payout accounts' names.
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "payments/paystack.hpp"
#include "util/awaitable.hpp"

namespace b2w::payments {

using BankList = std::shared_ptr<const std::vector<Bank>>;

// The cache's rules without I/O or a clock of its own (unit-tested). Not thread-safe: BankDirectory holds it
// under a mutex.
//  - No list yet: the caller fetches, or waits for the fetch in flight (one at a time: cold requests never
//    stampede Paystack).
//  - A fresh list (younger than the TTL) is used as is.
//  - A stale list is still used while one background fetch replaces it; a failed fetch keeps it and the next
//    try waits kRetryAfterFailure, so Paystack being down costs requests nothing while a list exists.
class BankCachePolicy {
 public:
  using Clock = std::chrono::steady_clock;
  using Time = Clock::time_point;
  static constexpr std::chrono::seconds kRetryAfterFailure{30};

  explicit BankCachePolicy(std::chrono::milliseconds ttl) : ttl_(ttl) {}

  struct Step {
    bool start_fetch = false;  // the caller starts the fetch (it is marked in flight already)
    bool wait = false;         // the caller waits for the fetch in flight, then takes the list
  };
  Step next(Time now);
  void fetched(BankList banks, Time now);
  void failed(Time now);

  const BankList& banks() const { return banks_; }
  bool fetching() const { return in_flight_; }

 private:
  std::chrono::milliseconds ttl_;
  BankList banks_;
  Time fresh_until_{};
  Time retry_not_before_{};
  bool in_flight_ = false;
};

struct BankDirectoryOptions {
  std::chrono::milliseconds ttl = std::chrono::hours(6);  // PAYSTACK_BANKS_TTL
  // How long a request waits for the fetch in flight when there is no list at all (the fetch's own pages are
  // each bounded by PAYSTACK_TIMEOUT and go on without it).
  std::chrono::milliseconds wait = std::chrono::seconds(20);
};

namespace detail {
struct BankDirectoryState;
}

// BankCachePolicy over PaystackClient::list_banks, shared by every I/O thread. At most one fetch is in flight; it
// runs as a coroutine of its own (a request that gives up waiting does not cancel it) and never blocks a thread.
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
  std::shared_ptr<detail::BankDirectoryState> state_;
};

}  // namespace b2w::payments
