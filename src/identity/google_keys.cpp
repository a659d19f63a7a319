#include "identity/google_keys.hpp"

#include <boost/asio/any_completion_handler.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <mutex>
#include <vector>

#include "domain/error.hpp"
#include "net/http_client.hpp"
#include "observability/log.hpp"

namespace b2w::identity {

namespace asio = boost::asio;
using Clock = JwksCachePolicy::Clock;

JwksCachePolicy::Step JwksCachePolicy::next(Need need, Time now) {
  if (need == Need::unknown_kid && keys_) {
    if (in_flight_) return {.start_fetch = false, .wait = true};
    if (last_unknown_kid_fetch_ && now < *last_unknown_kid_fetch_ + kUnknownKidRefetchInterval) return {};
    last_unknown_kid_fetch_ = now;
    in_flight_ = true;
    return {.start_fetch = true, .wait = true};
  }
  if (!keys_) {
    if (in_flight_) return {.start_fetch = false, .wait = true};
    in_flight_ = true;
    return {.start_fetch = true, .wait = true};
  }
  if (now < fresh_until_ || in_flight_ || now < retry_not_before_) return {};
  in_flight_ = true;
  return {.start_fetch = true, .wait = false};
}

void JwksCachePolicy::fetched(GoogleKeySetPtr keys, std::optional<std::chrono::seconds> max_age, Time now) {
  keys_ = std::move(keys);
  fresh_until_ = now + max_age.value_or(kFreshnessWithoutMaxAge);
  in_flight_ = false;
}

void JwksCachePolicy::failed(Time now) {
  retry_not_before_ = now + kRetryAfterFailure;
  in_flight_ = false;
}

namespace detail {

// A request waiting for the fetch in flight. Woken once, by the fetch's end or by its own deadline, whichever
// comes first: the handler is taken under the state's mutex, so the two cannot both resume it. Only its timer's
// pending wait owns it (the state keeps weak references), so when an I/O thread's io_context is destroyed with
// the wait pending, the waiter and its coroutine go with it, as with any other asynchronous operation.
struct KeysWaiter {
  // Held through a pointer: Boost 1.81's any_completion_handler wraps itself again when moved into another
  // (endless recursion), so it is made once from the coroutine's handler and never moved.
  using Handler = std::unique_ptr<asio::any_completion_handler<void()>>;
  asio::any_io_executor executor;
  Handler handler;
};

struct GoogleKeysState {
  explicit GoogleKeysState(GoogleKeysOptions o) : options(std::move(o)) {}
  const GoogleKeysOptions options;
  net::HttpClient http;
  std::mutex mutex;
  JwksCachePolicy policy;                          // under mutex
  std::uint64_t fetches_ended = 0;                 // under mutex
  std::vector<std::weak_ptr<KeysWaiter>> waiters;  // under mutex: those waiting for the fetch in flight
};

}  // namespace detail

namespace {

using detail::GoogleKeysState;
using detail::KeysWaiter;

void wake(GoogleKeysState& state, KeysWaiter& waiter) {
  KeysWaiter::Handler handler;
  {
    const std::scoped_lock lock(state.mutex);
    handler = std::move(waiter.handler);
  }
  // Resumed on its own executor (its I/O thread), never inside the caller of wake().
  if (handler) asio::post(waiter.executor, [resume = std::move(handler)]() mutable { std::move (*resume)(); });
}

// Suspends until the fetch that was in flight when fetches_ended was `generation` ends, or until `deadline`.
// A plain function returning the awaitable: the initiation below runs when the caller co_awaits it.
Awaitable<void> wait_for_fetch(const std::shared_ptr<GoogleKeysState>& state, std::uint64_t generation,
                               Clock::time_point deadline) {
  auto initiate = [state, generation, deadline](auto handler) {
    asio::any_io_executor executor = asio::get_associated_executor(handler);
    std::unique_lock lock(state->mutex);
    if (state->fetches_ended != generation) {  // it ended between the decision to wait and now
      lock.unlock();
      asio::post(executor, std::move(handler));
      return;
    }
    auto waiter = std::make_shared<KeysWaiter>();
    waiter->executor = executor;
    waiter->handler = std::make_unique<asio::any_completion_handler<void()>>(std::move(handler));
    state->waiters.push_back(waiter);
    lock.unlock();
    // The timer lives until its deadline even when the fetch woke the waiter first (its completion then finds
    // nothing to resume); it is touched only here and in that completion, on the waiter's executor.
    auto timer = std::make_shared<asio::steady_timer>(executor, deadline);
    timer->async_wait([state, waiter, timer](boost::system::error_code) { wake(*state, *waiter); });
  };
  return asio::async_initiate<decltype(asio::use_awaitable), void()>(std::move(initiate), asio::use_awaitable);
}

// Ends the fetch in flight exactly once: with its result, or as failed when the coroutine is destroyed unfinished
// (its executor stopped), so nobody waits on a fetch that will never end.
class FetchInFlight {
 public:
  explicit FetchInFlight(std::shared_ptr<GoogleKeysState> state) : state_(std::move(state)) {}
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

  void succeed(GoogleKeySetPtr keys, std::optional<std::chrono::seconds> max_age) {
    log::info("google jwks fetched")
        .num("keys", static_cast<std::int64_t>(keys->size()))
        .num("skipped", static_cast<std::int64_t>(keys->skipped()))
        .num("max_age_s", max_age ? max_age->count() : -1);
    end([&](JwksCachePolicy& policy) { policy.fetched(std::move(keys), max_age, Clock::now()); });
  }
  void fail(std::string_view reason) {
    // The reason names the step that failed (connect, status, parse); the URL is configuration, never a secret.
    log::warn("google jwks not fetched").str("reason", reason);
    end([](JwksCachePolicy& policy) { policy.failed(Clock::now()); });
  }

 private:
  template <typename Update>
  void end(Update update) {
    done_ = true;
    std::vector<std::weak_ptr<KeysWaiter>> waiters;
    {
      const std::scoped_lock lock(state_->mutex);
      update(state_->policy);
      ++state_->fetches_ended;
      waiters.swap(state_->waiters);
    }
    for (const auto& weak : waiters)
      if (auto waiter = weak.lock()) wake(*state_, *waiter);
  }

  std::shared_ptr<GoogleKeysState> state_;
  bool done_ = false;
};

Awaitable<void> fetch_keys(std::shared_ptr<GoogleKeysState> state) {
  FetchInFlight in_flight(state);
  std::optional<net::OutboundReply> reply;
  std::string problem;
  try {
    net::OutboundRequest request;
    request.headers.emplace_back("Accept", "application/json");
    auto answer = co_await state->http.send(state->options.jwks_url, std::move(request), state->options.timeout);
    reply = std::move(answer);
  } catch (const std::exception& e) {
    problem = e.what();
  }
  if (!reply) {
    in_flight.fail(problem);
    co_return;
  }
  if (reply->status != 200) {
    in_flight.fail("status " + std::to_string(reply->status));
    co_return;
  }
  auto parsed = security::GoogleKeySet::parse(reply->body);
  if (!parsed || parsed->size() == 0) {
    in_flight.fail(parsed ? "no usable RS256 key" : "not a JWKS document");
    co_return;
  }
  const auto max_age = security::cache_control_max_age(reply->header("Cache-Control"));
  in_flight.succeed(std::make_shared<const security::GoogleKeySet>(std::move(*parsed)), max_age);
}

domain::Error google_unavailable() {
  return domain::Error(domain::ErrorKind::unavailable, "google_unavailable",
                       "Google sign-in is unavailable; try again shortly");
}

}  // namespace

GoogleKeys::GoogleKeys(GoogleKeysOptions options) : state_(std::make_shared<GoogleKeysState>(std::move(options))) {}

GoogleKeys::~GoogleKeys() = default;

Awaitable<GoogleKeySetPtr> GoogleKeys::current() {
  return obtain(JwksCachePolicy::Need::any_set);
}

Awaitable<GoogleKeySetPtr> GoogleKeys::after_unknown_kid() {
  return obtain(JwksCachePolicy::Need::unknown_kid);
}

Awaitable<GoogleKeySetPtr> GoogleKeys::obtain(JwksCachePolicy::Need need) {
  std::shared_ptr<GoogleKeysState> state = state_;
  JwksCachePolicy::Step step;
  std::uint64_t generation = 0;
  {
    const std::scoped_lock lock(state->mutex);
    step = state->policy.next(need, Clock::now());
    generation = state->fetches_ended;
  }
  if (step.start_fetch) {
    auto executor = co_await asio::this_coro::executor;
    asio::co_spawn(executor, fetch_keys(state), asio::detached);
  }
  if (step.wait) {
    const auto deadline = Clock::now() + state->options.timeout;
    co_await wait_for_fetch(state, generation, deadline);
  }
  GoogleKeySetPtr keys;
  {
    const std::scoped_lock lock(state->mutex);
    keys = state->policy.keys();
  }
  if (!keys) throw google_unavailable();
  co_return keys;
}

}  // namespace b2w::identity
