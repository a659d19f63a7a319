#include "util/blocking_pool.hpp"

#include <sys/resource.h>
#include <unistd.h>

namespace b2w {

BlockingPool::BlockingPool(std::size_t threads) : guard_(boost::asio::make_work_guard(ctx_)) {
  for (std::size_t i = 0; i < std::max<std::size_t>(1, threads); ++i)
    threads_.emplace_back([this] {
      // Linux applies nice per thread: only this worker is lowered.
      setpriority(PRIO_PROCESS, static_cast<id_t>(gettid()), 10);
      ctx_.run();
    });
}

BlockingPool::~BlockingPool() {
  guard_.reset();
  ctx_.stop();
  for (auto& t : threads_) t.join();
}

}  // namespace b2w
