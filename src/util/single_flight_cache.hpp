#pragma once
// A value fetched in the background and shared by every I/O thread, by the rules of a RefreshPolicy.
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/this_coro.hpp>
#include <chrono>
#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "util/awaitable.hpp"

namespace b2w {

namespace detail {

struct FlightWaiter;

// What every SingleFlightCache shares whatever its value: the mutex and who waits for the fetch in flight.
struct Flight {
  mutable std::mutex mutex;                          // guards these and the cache's policy
  std::uint64_t fetches_ended = 0;                   // under mutex
  std::vector<std::weak_ptr<FlightWaiter>> waiters;  // under mutex: those waiting for the fetch in flight
};

// Suspends until the fetch that was in flight when fetches_ended was `generation` ends, or until `deadline`.
Awaitable<void> wait_for_fetch(const std::shared_ptr<Flight>& flight, std::uint64_t generation,
                               std::chrono::steady_clock::time_point deadline);
// Called under flight.mutex as the fetch ends: counts it and hands over its waiters, to wake_all() unlocked.
std::vector<std::weak_ptr<FlightWaiter>> end_fetch_locked(Flight& flight);
void wake_all(Flight& flight, const std::vector<std::weak_ptr<FlightWaiter>>& waiters);

}  // namespace detail

// Policy is a RefreshPolicy<V> (or a class built on one): its next(need..., now) decides, its value() is served.
// At most one fetch is in flight; it runs as a coroutine of its own (a caller that gives up waiting does not
// cancel it) and never blocks a thread. The state it needs outlives the cache while it runs.
template <typename Policy>
class SingleFlightCache {
 public:
  using Clock = std::chrono::steady_clock;
  using Ptr = typename Policy::Ptr;
  // A fetch's value and how long it stays fresh (nullopt: the policy's default).
  struct Fetched {
    Ptr value;
    std::optional<std::chrono::seconds> fresh_for;
  };
  // Throws when it fails; what() is the reason handed to on_failure. Logs its own success if it wants to.
  using Fetch = std::function<Awaitable<Fetched>()>;
  // Told why each fetch failed, "abandoned" when its coroutine was destroyed unfinished (its executor stopped).
  using OnFailure = std::function<void(std::string_view reason)>;

  // `wait`: how long a caller the policy makes wait waits at most for the fetch in flight.
  SingleFlightCache(Policy policy, Clock::duration wait, Fetch fetch, OnFailure on_failure)
      : state_(std::make_shared<State>(std::move(policy), wait, std::move(fetch), std::move(on_failure))) {}

  // The value to use; null when there is none and none arrived within the wait. `need` goes to Policy::next.
  template <typename... Need>
  Awaitable<Ptr> get(Need... need) {
    std::shared_ptr<State> state = state_;
    typename Policy::Step step;
    std::uint64_t generation = 0;
    {
      const std::scoped_lock lock(state->mutex);
      step = state->policy.next(need..., Clock::now());
      generation = state->fetches_ended;
    }
    if (step.start_fetch) {
      auto executor = co_await boost::asio::this_coro::executor;
      boost::asio::co_spawn(executor, run_fetch(state), boost::asio::detached);
    }
    if (step.wait) {
      const auto deadline = Clock::now() + state->wait;
      co_await detail::wait_for_fetch(state, generation, deadline);
    }
    co_return peek_state(*state);
  }

  // The value held now (no fetch); null when there is none yet.
  Ptr peek() const { return peek_state(*state_); }

 private:
  struct State : detail::Flight {
    State(Policy p, Clock::duration w, Fetch f, OnFailure o)
        : policy(std::move(p)), wait(w), fetch(std::move(f)), on_failure(std::move(o)) {}
    Policy policy;  // under mutex
    const Clock::duration wait;
    const Fetch fetch;
    const OnFailure on_failure;
  };

  static Ptr peek_state(const State& state) {
    const std::scoped_lock lock(state.mutex);
    return state.policy.value();
  }

  // Ends the fetch in flight exactly once: with its value, or as failed when the coroutine is destroyed
  // unfinished, so nobody waits on a fetch that will never end.
  class FetchInFlight {
   public:
    explicit FetchInFlight(std::shared_ptr<State> state) : state_(std::move(state)) {}
    FetchInFlight(const FetchInFlight&) = delete;
    FetchInFlight& operator=(const FetchInFlight&) = delete;
    ~FetchInFlight() {
      if (done_) return;
      try {
        fail("abandoned");
      } catch (...) {
        // Only logging or locking can throw here; the process is going down with its executor anyway.
      }
    }

    void succeed(Fetched fetched) {
      end([&](Policy& policy) { policy.fetched(std::move(fetched.value), fetched.fresh_for, Clock::now()); });
    }
    void fail(std::string_view reason) {
      state_->on_failure(reason);
      end([](Policy& policy) { policy.failed(Clock::now()); });
    }

   private:
    template <typename Update>
    void end(Update update) {
      done_ = true;
      std::vector<std::weak_ptr<detail::FlightWaiter>> waiters;
      {
        const std::scoped_lock lock(state_->mutex);
        update(state_->policy);
        waiters = detail::end_fetch_locked(*state_);
      }
      detail::wake_all(*state_, waiters);
    }

    std::shared_ptr<State> state_;
    bool done_ = false;
  };

  static Awaitable<void> run_fetch(std::shared_ptr<State> state) {
    FetchInFlight in_flight(state);
    std::optional<Fetched> fetched;
    std::string problem;
    try {
      auto answer = co_await state->fetch();
      fetched = std::move(answer);
    } catch (const std::exception& e) {
      problem = e.what();
    }
    if (fetched)
      in_flight.succeed(std::move(*fetched));
    else
      in_flight.fail(problem);
  }

  std::shared_ptr<State> state_;
};

}  // namespace b2w
