#pragma once
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <deque>
#include <memory>

namespace b2w::store {

// A mutex for coroutines that all run on one single-threaded executor: a
// waiter parks on a timer that the holder cancels when it hands over.
class StrandLock {
 public:
  boost::asio::awaitable<void> lock() {
    if (!held_) {
      held_ = true;
      co_return;
    }
    auto timer = std::make_shared<boost::asio::steady_timer>(co_await boost::asio::this_coro::executor,
                                                             boost::asio::steady_timer::time_point::max());
    waiters_.push_back(timer);
    co_await timer->async_wait(boost::asio::as_tuple(boost::asio::use_awaitable));
    // Ownership was handed over by unlock(): held_ stays true.
  }

  void unlock() {
    if (waiters_.empty()) {
      held_ = false;
      return;
    }
    auto next = std::move(waiters_.front());
    waiters_.pop_front();
    next->cancel();
  }

 private:
  bool held_ = false;
  std::deque<std::shared_ptr<boost::asio::steady_timer>> waiters_;
};

}  // namespace b2w::store
