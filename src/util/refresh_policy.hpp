#pragma once
// When a value kept in memory is fetched again: the rules of SingleFlightCache, without I/O or a clock of their own.
#include <chrono>
#include <memory>
#include <optional>

namespace b2w {

// Not thread-safe: SingleFlightCache holds it under a mutex. Unit-tested (refresh_policy_test.cpp).
//  - No value yet: the caller fetches, or waits for the fetch in flight (one at a time: cold callers never
//    stampede the source), and a failure lets the next caller try again at once (nothing to serve meanwhile).
//  - A fresh value (younger than the fetch's own freshness, else Options::fresh_for) is used as is.
//  - A stale value is still used while one background fetch replaces it; a failed fetch keeps it and the next
//    try waits Options::retry_after_failure, so the source being down costs callers nothing while a value exists.
//  - Want::newer (the value held is known to lack something, say a key rotated in) fetches at once and waits,
//    but at most once per Options::newer_interval: callers that ask for what never comes cannot hammer the source.
template <typename V>
class RefreshPolicy {
 public:
  using Clock = std::chrono::steady_clock;
  using Time = Clock::time_point;
  using Ptr = std::shared_ptr<const V>;

  struct Options {
    Clock::duration fresh_for;
    Clock::duration retry_after_failure;
    Clock::duration newer_interval{};
  };
  enum class Want {
    current,  // a value to use: the one held unless there is none
    newer,    // the value held lacks something: a newer one if allowed
  };
  struct Step {
    bool start_fetch = false;  // the caller starts the fetch (it is marked in flight already)
    bool wait = false;         // the caller waits for the fetch in flight, then takes the value
  };

  explicit RefreshPolicy(Options options) : options_(options) {}

  Step next(Time now) { return next(Want::current, now); }
  Step next(Want want, Time now) {
    if (want == Want::newer && value_) {
      if (in_flight_) return {.start_fetch = false, .wait = true};
      if (last_newer_fetch_ && now < *last_newer_fetch_ + options_.newer_interval) return {};
      last_newer_fetch_ = now;
      in_flight_ = true;
      return {.start_fetch = true, .wait = true};
    }
    if (!value_) {
      if (in_flight_) return {.start_fetch = false, .wait = true};
      in_flight_ = true;
      return {.start_fetch = true, .wait = true};
    }
    if (now < fresh_until_ || in_flight_ || now < retry_not_before_) return {};
    in_flight_ = true;
    return {.start_fetch = true, .wait = false};
  }
  // fresh_for: what the source said of this value (say an HTTP max-age); nullopt: Options::fresh_for.
  void fetched(Ptr value, std::optional<std::chrono::seconds> fresh_for, Time now) {
    value_ = std::move(value);
    fresh_until_ = now + (fresh_for ? Clock::duration(*fresh_for) : options_.fresh_for);
    in_flight_ = false;
  }
  void failed(Time now) {
    retry_not_before_ = now + options_.retry_after_failure;
    in_flight_ = false;
  }

  const Ptr& value() const { return value_; }
  bool fetching() const { return in_flight_; }

 private:
  Options options_;
  Ptr value_;
  Time fresh_until_{};
  Time retry_not_before_{};
  std::optional<Time> last_newer_fetch_;
  bool in_flight_ = false;
};

}  // namespace b2w
