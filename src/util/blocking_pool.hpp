#pragma once
#include <atomic>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <thread>
#include <type_traits>
#include <vector>

#include "util/unavailable.hpp"

namespace b2w {

// Runs CPU-heavy or blocking work (argon2, ...) on dedicated threads and resumes
// the caller on its own executor. The threads run under SCHED_IDLE: a runnable I/O
// thread always preempts them, so a burst of logins cannot delay other requests. The
// price, chosen on purpose: when the I/O threads keep every core busy, hashing waits
// (bets from signed-in users come before new logins).
//
// The queue is bounded: at most `threads + max_queued` jobs are admitted at once (running or
// waiting); past that run() throws ServiceUnavailable("blocking pool") at once, which the API
// answers 503 with Retry-After, instead of letting a burst queue for seconds behind argon2.
class BlockingPool {
 public:
  // max_queued 0: 8 per thread (an argon2 verification takes tens of milliseconds, so a full
  // queue is a fraction of a second of work).
  explicit BlockingPool(std::size_t threads, std::size_t max_queued = 0);
  ~BlockingPool();
  BlockingPool(const BlockingPool&) = delete;
  BlockingPool& operator=(const BlockingPool&) = delete;

  std::size_t capacity() const { return capacity_; }

  // A plain function returning the awaitable, not a coroutine. Callers in coroutines
  // pass lambdas with reference captures only: GCC 12 copies lambda temporaries in
  // co_await expressions bitwise, which corrupts captured std::strings.
  template <typename F>
  auto run(F work) -> boost::asio::awaitable<std::invoke_result_t<F>> {
    return admitted(this, std::move(work));
  }

 private:
  // A slot is taken when the caller awaits (not when run() is called) and given back when the work is done.
  class Slot {
   public:
    explicit Slot(BlockingPool& pool);
    ~Slot() { pool_.admitted_.fetch_sub(1, std::memory_order_relaxed); }
    Slot(const Slot&) = delete;
    Slot& operator=(const Slot&) = delete;

   private:
    BlockingPool& pool_;
  };

  // Parameters, not captures: a coroutine's parameters are moved into its frame.
  template <typename F>
  static auto admitted(BlockingPool* self, F work) -> boost::asio::awaitable<std::invoke_result_t<F>> {
    using R = std::invoke_result_t<F>;
    Slot slot(*self);
    co_return co_await boost::asio::co_spawn(
        self->ctx_, [&work]() -> boost::asio::awaitable<R> { co_return work(); }, boost::asio::use_awaitable);
  }

  boost::asio::io_context ctx_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> guard_;
  std::vector<std::thread> threads_;
  std::size_t capacity_;
  std::atomic<std::size_t> admitted_{0};
};

}  // namespace b2w
