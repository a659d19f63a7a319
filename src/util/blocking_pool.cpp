#include "util/blocking_pool.hpp"

#include <sched.h>
#include <sys/resource.h>
#include <unistd.h>

#include "observability/metrics.hpp"

namespace b2w {

BlockingPool::Slot::Slot(BlockingPool& pool) : pool_(pool) {
  const auto before = pool_.admitted_.fetch_add(1, std::memory_order_relaxed);
  if (before >= pool_.capacity_) {
    pool_.admitted_.fetch_sub(1, std::memory_order_relaxed);
    throw ServiceUnavailable("blocking pool", "queue full");
  }
  metrics::observe(metrics::Gauge::blocking_pool_queue_depth, static_cast<std::int64_t>(before + 1));
}

BlockingPool::BlockingPool(std::size_t threads, std::size_t max_queued)
    : guard_(boost::asio::make_work_guard(ctx_)),
      capacity_(std::max<std::size_t>(1, threads) + (max_queued ? max_queued : 8 * std::max<std::size_t>(1, threads))) {
  for (std::size_t i = 0; i < std::max<std::size_t>(1, threads); ++i)
    threads_.emplace_back([this] {
      // SCHED_IDLE: any runnable I/O thread preempts this worker at once (nice alone leaves the
      // scheduler free to finish the worker's slice first: milliseconds of health-check latency
      // while logins hash). Linux applies it per thread. Falls back to the lowest nice.
      sched_param idle{};
      if (sched_setscheduler(0, SCHED_IDLE, &idle) != 0) setpriority(PRIO_PROCESS, static_cast<id_t>(gettid()), 19);
      ctx_.run();
    });
}

BlockingPool::~BlockingPool() {
  guard_.reset();
  ctx_.stop();
  for (auto& t : threads_) t.join();
}

}  // namespace b2w
