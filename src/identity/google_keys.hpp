#pragma once
// Google's JWKS (the public keys that sign its ID tokens), fetched over HTTP and kept in memory.
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "security/google_id_token.hpp"
#include "util/awaitable.hpp"
#include "util/refresh_policy.hpp"
#include "util/single_flight_cache.hpp"

namespace b2w::identity {

using GoogleKeySetPtr = std::shared_ptr<const security::GoogleKeySet>;

// The cache's rules (RefreshPolicy's, unit-tested) with Google's figures. A token whose kid the set lacks (Google
// rotated its keys) asks for a newer set: fetched at once, but at most once per kUnknownKidRefetchInterval, so
// tokens with made-up kids cannot make us hammer Google. Being down costs requests nothing while a set exists.
class JwksCachePolicy : public RefreshPolicy<security::GoogleKeySet> {
 public:
  static constexpr std::chrono::seconds kUnknownKidRefetchInterval{60};
  // Google always sends a max-age (hours); this covers a reply without a usable one.
  static constexpr std::chrono::seconds kFreshnessWithoutMaxAge{15 * 60};
  static constexpr std::chrono::seconds kRetryAfterFailure{10};

  enum class Need {
    any_set,      // a set to verify with: the current one unless there is none
    unknown_kid,  // the current set lacks a token's kid: a newer one if allowed
  };

  JwksCachePolicy()
      : RefreshPolicy({.fresh_for = kFreshnessWithoutMaxAge,
                       .retry_after_failure = kRetryAfterFailure,
                       .newer_interval = kUnknownKidRefetchInterval}) {}

  Step next(Need need, Time now) {
    return RefreshPolicy::next(need == Need::any_set ? Want::current : Want::newer, now);
  }
  // fetched(keys, max_age, now) as RefreshPolicy's: the Cache-Control max-age, else kFreshnessWithoutMaxAge.
  const GoogleKeySetPtr& keys() const { return value(); }
};

struct GoogleKeysOptions {
  std::string jwks_url = "https://www.googleapis.com/oauth2/v3/certs";
  // A request waits at most this long for a fetch; the fetch's own steps (connect, send, read) each too.
  std::chrono::milliseconds timeout = std::chrono::seconds(5);
};

// JwksCachePolicy over HTTP, shared by every I/O thread: a SingleFlightCache (one fetch in flight, never blocking).
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

  SingleFlightCache<JwksCachePolicy> cache_;
};

}  // namespace b2w::identity
