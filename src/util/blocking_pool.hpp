#pragma once
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <thread>
#include <type_traits>
#include <vector>

namespace b2w {

// Runs CPU-heavy or blocking work (argon2, ...) on dedicated threads and resumes
// the caller on its own executor. The threads run under SCHED_IDLE: a runnable I/O
// thread always preempts them, so a burst of logins cannot delay other requests. The
// price, chosen on purpose: when the I/O threads keep every core busy, hashing waits
// (bets from signed-in users come before new logins).
class BlockingPool {
 public:
  explicit BlockingPool(std::size_t threads);
  ~BlockingPool();
  BlockingPool(const BlockingPool&) = delete;
  BlockingPool& operator=(const BlockingPool&) = delete;

  // A plain function returning the awaitable, not a coroutine. Callers in coroutines
  // pass lambdas with reference captures only: GCC 12 copies lambda temporaries in
  // co_await expressions bitwise, which corrupts captured std::strings.
  template <typename F>
  auto run(F work) -> boost::asio::awaitable<std::invoke_result_t<F>> {
    using R = std::invoke_result_t<F>;
    return boost::asio::co_spawn(
        ctx_, [work = std::move(work)]() mutable -> boost::asio::awaitable<R> { co_return work(); },
        boost::asio::use_awaitable);
  }

 private:
  boost::asio::io_context ctx_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> guard_;
  std::vector<std::thread> threads_;
};

}  // namespace b2w
