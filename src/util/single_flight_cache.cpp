#include "util/single_flight_cache.hpp"

#include <boost/asio/any_completion_handler.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace b2w::detail {

namespace asio = boost::asio;

// A caller waiting for the fetch in flight. Woken once, by the fetch's end or by its own deadline, whichever
// comes first: the handler is taken under the flight's mutex, so the two cannot both resume it. Only its timer's
// pending wait owns it (the flight keeps weak references), so when an I/O thread's io_context is destroyed with
// the wait pending, the waiter and its coroutine go with it, as with any other asynchronous operation.
struct FlightWaiter {
  // Held through a pointer: Boost 1.81's any_completion_handler wraps itself again when moved into another
  // (endless recursion), so it is made once from the coroutine's handler and never moved.
  using Handler = std::unique_ptr<asio::any_completion_handler<void()>>;
  asio::any_io_executor executor;
  Handler handler;
};

namespace {

void wake(Flight& flight, FlightWaiter& waiter) {
  FlightWaiter::Handler handler;
  {
    const std::scoped_lock lock(flight.mutex);
    handler = std::move(waiter.handler);
  }
  // Resumed on its own executor (its I/O thread), never inside the caller of wake().
  if (handler) asio::post(waiter.executor, [resume = std::move(handler)]() mutable { std::move (*resume)(); });
}

}  // namespace

// A plain function returning the awaitable: the initiation below runs when the caller co_awaits it.
Awaitable<void> wait_for_fetch(const std::shared_ptr<Flight>& flight, std::uint64_t generation,
                               std::chrono::steady_clock::time_point deadline) {
  auto initiate = [flight, generation, deadline](auto handler) {
    asio::any_io_executor executor = asio::get_associated_executor(handler);
    std::unique_lock lock(flight->mutex);
    if (flight->fetches_ended != generation) {  // it ended between the decision to wait and now
      lock.unlock();
      asio::post(executor, std::move(handler));
      return;
    }
    auto waiter = std::make_shared<FlightWaiter>();
    waiter->executor = executor;
    waiter->handler = std::make_unique<asio::any_completion_handler<void()>>(std::move(handler));
    flight->waiters.push_back(waiter);
    lock.unlock();
    // The timer lives until its deadline even when the fetch woke the waiter first (its completion then finds
    // nothing to resume); it is touched only here and in that completion, on the waiter's executor.
    auto timer = std::make_shared<asio::steady_timer>(executor, deadline);
    timer->async_wait([flight, waiter, timer](boost::system::error_code) { wake(*flight, *waiter); });
  };
  return asio::async_initiate<decltype(asio::use_awaitable), void()>(std::move(initiate), asio::use_awaitable);
}

std::vector<std::weak_ptr<FlightWaiter>> end_fetch_locked(Flight& flight) {
  ++flight.fetches_ended;
  std::vector<std::weak_ptr<FlightWaiter>> waiters;
  waiters.swap(flight.waiters);
  return waiters;
}

void wake_all(Flight& flight, const std::vector<std::weak_ptr<FlightWaiter>>& waiters) {
  for (const auto& weak : waiters)
    if (auto waiter = weak.lock()) wake(flight, *waiter);
}

}  // namespace b2w::detail
