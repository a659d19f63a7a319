#pragma once
// Google's JWKS (the public keys that sign its ID tokens), fetched over HTTP and kept in memory.
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "security/google_id_token.hpp"
#include "util/awaitable.hpp"

namespace b2w::identity {

using GoogleKeySetPtr = std::shared_ptr<const security::GoogleKeySet>;

// The cache's rules without I/O or a clock of its own (unit-tested): when to fetch, when a caller waits for
// the fetch in flight, how long a set stays fresh. Not thread-safe: GoogleKeys holds it under a mutex.
//  - No set yet: the caller fetches (or waits for the fetch in flight); nothing else can verify a token.
//  - A fresh set (Cache-Control max-age not expired) is used as is.
//  - A stale set is still used while one background fetch replaces it; a failed fetch keeps it, and the next
//    try waits kRetryAfterFailure, so Google being down costs requests nothing while a set exists.
//  - A token whose kid the set lacks (Google rotated its keys) may refetch at once, but at most once per
//    kUnknownKidRefetchInterval: tokens with made-up kids cannot make us hammer Google.
class JwksCachePolicy {
 public:
  using Clock = std::chrono::steady_clock;
  using Time = Clock::time_point;
  static constexpr std::chrono::seconds kUnknownKidRefetchInterval{60};
  // Google always sends a max-age (hours); this covers a reply without a usable one.
  static constexpr std::chrono::seconds kFreshnessWithoutMaxAge{15 * 60};
  static constexpr std::chrono::seconds kRetryAfterFailure{10};

  enum class Need {
    any_set,      // a set to verify with: the current one unless there is none
    unknown_kid,  // the current set lacks a token's kid: a newer one if allowed
  };
  struct Step {
    bool start_fetch = false;  // the caller starts the fetch (it is marked in flight already)
    bool wait = false;         // the caller waits for the fetch in flight, then takes the set
  };

  Step next(Need need, Time now);
  void fetched(GoogleKeySetPtr keys, std::optional<std::chrono::seconds> max_age, Time now);
  void failed(Time now);

  const GoogleKeySetPtr& keys() const { return keys_; }
  bool fetching() const { return in_flight_; }

 private:
  GoogleKeySetPtr keys_;
  Time fresh_until_{};
  Time retry_not_before_{};
  std::optional<Time> last_unknown_kid_fetch_;
  bool in_flight_ = false;
};

struct GoogleKeysOptions {
  std::string jwks_url = "https://www.googleapis.com/oauth2/v3/certs";
  // A request waits at most this long for a fetch; the fetch's own steps (connect, send, read) each too.
  std::chrono::milliseconds timeout = std::chrono::seconds(5);
};

namespace detail {
struct GoogleKeysState;
}

// JwksCachePolicy over HTTP, shared by every I/O thread. At most one fetch is in flight; it runs as a coroutine
// of its own (a request that gives up waiting does not cancel it) and never blocks a thread.
class GoogleKeys {
 public:
  explicit GoogleKeys(GoogleKeysOptions options);
  ~GoogleKeys();
  GoogleKeys(const GoogleKeys&) = delete;
  GoogleKeys& operator=(const GoogleKeys&) = delete;

  // The set to verify with. Throws domain::Error unavailable `google_unavailable` when there is none and none
  // arrived within the timeout.
  Awaitable<GoogleKeySetPtr> current();
  // Called when the set lacks a token's kid: a newly fetched set when the once-a-minute allowance permits (or a
  // fetch was in flight anyway), else the current one.
  Awaitable<GoogleKeySetPtr> after_unknown_kid();

 private:
  Awaitable<GoogleKeySetPtr> obtain(JwksCachePolicy::Need need);

  // Outlives this object while a fetch is in flight.
  std::shared_ptr<detail::GoogleKeysState> state_;
};

}  // namespace b2w::identity
