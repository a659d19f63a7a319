#include "payments/bank_directory.hpp"

#include <boost/asio/any_completion_handler.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <mutex>

#include "domain/error.hpp"
#include "observability/log.hpp"

namespace b2w::payments {

namespace asio = boost::asio;
using Clock = BankCachePolicy::Clock;

BankCachePolicy::Step BankCachePolicy::next(Time now) {
  if (!banks_) {
    if (in_flight_) return {.start_fetch = false, .wait = true};
    in_flight_ = true;
    return {.start_fetch = true, .wait = true};
  }
  if (now < fresh_until_ || in_flight_ || now < retry_not_before_) return {};
  in_flight_ = true;
  return {.start_fetch = true, .wait = false};
}

void BankCachePolicy::fetched(BankList banks, Time now) {
  banks_ = std::move(banks);
  fresh_until_ = now + ttl_;
  in_flight_ = false;
}

void BankCachePolicy::failed(Time now) {
  retry_not_before_ = now + kRetryAfterFailure;
  in_flight_ = false;
}

namespace detail {

// A request waiting for the fetch in flight, woken once: by the fetch's end or by its own deadline, whichever
// comes first (the handler is taken under the state's mutex). The same shape as identity/google_keys.cpp's.
struct BankWaiter {
  // Held through a pointer: Boost 1.81's any_completion_handler wraps itself again when moved into another.
  using Handler = std::unique_ptr<asio::any_completion_handler<void()>>;
  asio::any_io_executor executor;
  Handler handler;
};

struct BankDirectoryState {
  BankDirectoryState(PaystackClient& p, BankDirectoryOptions o) : paystack(p), options(o), policy(o.ttl) {}
  PaystackClient& paystack;
  const BankDirectoryOptions options;
  mutable std::mutex mutex;
  BankCachePolicy policy;                          // under mutex
  std::uint64_t fetches_ended = 0;                 // under mutex
  std::vector<std::weak_ptr<BankWaiter>> waiters;  // under mutex: those waiting for the fetch in flight
};

}  // namespace detail

namespace {

using detail::BankDirectoryState;
using detail::BankWaiter;

void wake(BankDirectoryState& state, BankWaiter& waiter) {
  BankWaiter::Handler handler;
  {
    const std::scoped_lock lock(state.mutex);
    handler = std::move(waiter.handler);
  }
  // Resumed on its own executor (its I/O thread), never inside the caller of wake().
  if (handler) asio::post(waiter.executor, [resume = std::move(handler)]() mutable { std::move (*resume)(); });
}

// Suspends until the fetch that was in flight when fetches_ended was `generation` ends, or until `deadline`.
Awaitable<void> wait_for_fetch(const std::shared_ptr<BankDirectoryState>& state, std::uint64_t generation,
                               Clock::time_point deadline) {
  auto initiate = [state, generation, deadline](auto handler) {
    asio::any_io_executor executor = asio::get_associated_executor(handler);
    std::unique_lock lock(state->mutex);
    if (state->fetches_ended != generation) {  // it ended between the decision to wait and now
      lock.unlock();
      asio::post(executor, std::move(handler));
      return;
    }
    auto waiter = std::make_shared<BankWaiter>();
    waiter->executor = executor;
    waiter->handler = std::make_unique<asio::any_completion_handler<void()>>(std::move(handler));
    state->waiters.push_back(waiter);
    lock.unlock();
    auto timer = std::make_shared<asio::steady_timer>(executor, deadline);
    timer->async_wait([state, waiter, timer](boost::system::error_code) { wake(*state, *waiter); });
  };
  return asio::async_initiate<decltype(asio::use_awaitable), void()>(std::move(initiate), asio::use_awaitable);
}

// Ends the fetch in flight exactly once: with its list, or as failed when the coroutine is destroyed unfinished.
class FetchInFlight {
 public:
  explicit FetchInFlight(std::shared_ptr<BankDirectoryState> state) : state_(std::move(state)) {}
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

  void succeed(BankList banks) {
    log::info("paystack banks fetched").num("banks", static_cast<std::int64_t>(banks->size()));
    end([&](BankCachePolicy& policy) { policy.fetched(std::move(banks), Clock::now()); });
  }
  void fail(std::string_view reason) {
    log::warn("paystack banks not fetched").str("reason", reason);
    end([](BankCachePolicy& policy) { policy.failed(Clock::now()); });
  }

 private:
  template <typename Update>
  void end(Update update) {
    done_ = true;
    std::vector<std::weak_ptr<BankWaiter>> waiters;
    {
      const std::scoped_lock lock(state_->mutex);
      update(state_->policy);
      ++state_->fetches_ended;
      waiters.swap(state_->waiters);
    }
    for (const auto& weak : waiters)
      if (auto waiter = weak.lock()) wake(*state_, *waiter);
  }

  std::shared_ptr<BankDirectoryState> state_;
  bool done_ = false;
};

Awaitable<void> fetch_banks(std::shared_ptr<BankDirectoryState> state) {
  FetchInFlight in_flight(state);
  std::vector<Bank> banks;
  std::optional<std::string> problem;
  try {
    auto listed = co_await state->paystack.list_banks();
    banks = std::move(listed);
  } catch (const std::exception& e) {
    problem = e.what();
  }
  if (problem) {
    in_flight.fail(*problem);
    co_return;
  }
  if (banks.empty()) {  // never cached: a list without a bank would refuse every payout account for hours
    in_flight.fail("Paystack listed no usable bank");
    co_return;
  }
  in_flight.succeed(std::make_shared<const std::vector<Bank>>(std::move(banks)));
}

}  // namespace

BankDirectory::BankDirectory(PaystackClient& paystack, BankDirectoryOptions options)
    : state_(std::make_shared<BankDirectoryState>(paystack, options)) {}

BankDirectory::~BankDirectory() = default;

Awaitable<BankList> BankDirectory::banks() {
  std::shared_ptr<BankDirectoryState> state = state_;
  BankCachePolicy::Step step;
  std::uint64_t generation = 0;
  {
    const std::scoped_lock lock(state->mutex);
    step = state->policy.next(Clock::now());
    generation = state->fetches_ended;
  }
  if (step.start_fetch) {
    auto executor = co_await asio::this_coro::executor;
    asio::co_spawn(executor, fetch_banks(state), asio::detached);
  }
  if (step.wait) {
    const auto deadline = Clock::now() + state->options.wait;
    co_await wait_for_fetch(state, generation, deadline);
  }
  BankList banks;
  {
    const std::scoped_lock lock(state->mutex);
    banks = state->policy.banks();
  }
  if (!banks)
    throw domain::Error(domain::ErrorKind::unavailable, "banks_unavailable",
                        "The list of banks is unavailable; try again shortly");
  co_return banks;
}

std::optional<std::string> BankDirectory::name_of(const std::string& code) const {
  BankList banks;
  {
    const std::scoped_lock lock(state_->mutex);
    banks = state_->policy.banks();
  }
  if (!banks) return std::nullopt;
  for (const auto& bank : *banks)
    if (bank.code == code) return bank.name;
  return std::nullopt;
}

}  // namespace b2w::payments
