#include "kv/redis/lane.hpp"

#include <boost/asio/post.hpp>
#include <chrono>
#include <functional>

#include "observability/log.hpp"

namespace b2w::kv::redis {

namespace asio = boost::asio;

Lane::Lane(asio::io_context& c, std::shared_ptr<const ConnectionSettings> s, PoolOptions o, Commands& commands)
    : ctx(c), pool(c, std::move(s), o), sweep_timer(c), increments(*this, commands) {}

void Lane::close() {
  sweep_timer.cancel();
  pool.close_all("store closed");
  increments.fail_waiting();
}

void Lane::stop() {
  if (!ctx.stopped()) {
    // Still running: close on the lane's thread, then let what close() cancelled end there (the
    // connects in progress resume once, to fail) and the sweep loop stop (it may have ended
    // already on `stopping`, or waits on its timer, which close() cancels). Nothing touches the
    // lane on that thread after that.
    auto swept = sweep_done.get_future();
    std::promise<void> drained;
    auto drained_future = drained.get_future();
    std::function<void()> check = [this, &drained, &check] {
      if (pool.connecting() == 0)
        drained.set_value();
      else
        asio::post(ctx, check);
    };
    asio::post(ctx, [this, &check] {
      close();
      check();
    });
    if (drained_future.wait_for(std::chrono::seconds(5)) != std::future_status::ready && ran.load()) {
      // A thread runs the lane but is slow to get to it: closing from here would race with it (and
      // leave it the references above), so keep waiting; the task's stop timeout bounds this.
      log::error("redis client: an I/O thread is slow to close its connections; waiting");
      drained_future.wait();
    }
    if (drained_future.wait_for(std::chrono::seconds(0)) == std::future_status::ready) {
      swept.wait();
      return;
    }
    // Never run: nothing else will touch the lane (the posted close is dropped with its context).
  }
  close();
}

}  // namespace b2w::kv::redis
