#pragma once
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <type_traits>

namespace b2w {

// Runs CPU-heavy or blocking work (argon2, ...) on a dedicated thread pool and
// resumes the caller on its own executor, so I/O threads stay free.
class BlockingPool {
 public:
  explicit BlockingPool(std::size_t threads) : pool_(threads) {}
  ~BlockingPool() { pool_.join(); }

  // A plain function returning the awaitable, not a coroutine. Callers in coroutines
  // pass lambdas with reference captures only: GCC 12 copies lambda temporaries in
  // co_await expressions bitwise, which corrupts captured std::strings.
  template <typename F>
  auto run(F work) -> boost::asio::awaitable<std::invoke_result_t<F>> {
    using R = std::invoke_result_t<F>;
    return boost::asio::co_spawn(
        pool_, [work = std::move(work)]() mutable -> boost::asio::awaitable<R> { co_return work(); },
        boost::asio::use_awaitable);
  }

 private:
  boost::asio::thread_pool pool_;
};

}  // namespace b2w
