#include "kv/redis/pool.hpp"

#include <algorithm>
#include <boost/asio/append.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "observability/log.hpp"
#include "observability/metrics.hpp"

namespace b2w::kv::redis {

namespace asio = boost::asio;

Pool::Pool(asio::io_context& ctx, std::shared_ptr<const ConnectionSettings> settings, PoolOptions options)
    : ctx_(ctx), settings_(std::move(settings)), options_(options) {}

Pool::~Pool() {
  close_all("store closed");
}

std::shared_ptr<Connection> Pool::pick() {
  std::shared_ptr<Connection> best;
  std::size_t active = 0;
  for (auto& c : ready_) {
    if (!c->ready() || c->retired) continue;
    ++active;
    if (!best || c->pending() < best->pending()) best = c;
  }
  // Busy everywhere: open one more (the command still goes out now, on the least busy one).
  if (best && best->pending() >= options_.busy_threshold && connecting_.empty() &&
      active < static_cast<std::size_t>(options_.max) && Clock::now() >= next_connect_at_)
    start_connect();
  return best;
}

asio::awaitable<Acquired> Pool::acquire(Clock::time_point deadline) {
  if (closed_) co_return Acquired{nullptr, "store closed"};
  if (auto c = pick()) co_return Acquired{std::move(c), {}};
  if (connecting_.empty()) {
    // Fail fast while the server is known to be unreachable; the backoff bounds reconnect attempts.
    if (Clock::now() < next_connect_at_) co_return Acquired{nullptr, last_error_};
    start_connect();
  }
  // No connection ready: the command waits for one being opened.
  const auto waited_from = Clock::now();
  auto acquired = co_await asio::async_initiate<decltype(asio::use_awaitable), void(Acquired)>(
      [this, deadline](auto handler) {
        waiters_.push_back(Waiter{WaitHandler(std::move(handler)), deadline});
      },
      asio::use_awaitable);
  metrics::add(metrics::Counter::cache_pool_waits);
  metrics::add(metrics::Counter::cache_pool_wait_us,
               std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - waited_from).count());
  co_return acquired;
}

void Pool::start_connect() {
  auto c = std::make_shared<Connection>(ctx_, settings_);
  c->on_not_primary = [this] { retire_all(); };
  connecting_.push_back(c);
  asio::co_spawn(ctx_, connect_task(std::move(c)), asio::detached);
}

asio::awaitable<void> Pool::connect_task(std::shared_ptr<Connection> c) {
  std::string error;
  try {
    co_await c->open(Clock::now() + options_.connect_timeout);
  } catch (const ConnectError& e) {
    error = e.what();
  } catch (const std::exception&) {
    error = "cannot connect";
  }
  std::erase(connecting_, c);
  if (closed_) {
    c->close("store closed");
    co_return;
  }
  if (error.empty() && c->ready()) {
    ++connects_;
    failures_ = 0;
    next_connect_at_ = Clock::time_point::min();
    if (down_logged_) {
      log::info("redis connection restored");
      down_logged_ = false;
    }
    ready_.push_back(c);
    wake_waiters(Acquired{c, {}});
    co_return;
  }
  if (error.empty()) error = "connection lost";
  c->close(error);
  ++failures_;
  const std::chrono::milliseconds backoff{options_.backoff_min.count() << std::min(failures_ - 1, 16)};
  next_connect_at_ = Clock::now() + std::min(backoff, options_.backoff_max);
  last_error_ = error;
  if (!down_logged_) {
    log::warn("redis connection failed")
        .str("endpoint", settings_->endpoint.host + ":" + std::to_string(settings_->endpoint.port))
        .str("error", error);
    down_logged_ = true;
  }
  if (connecting_.empty()) {
    std::shared_ptr<Connection> best;
    for (auto& r : ready_)
      if (r->ready() && !r->retired && (!best || r->pending() < best->pending())) best = r;
    wake_waiters(best ? Acquired{best, {}} : Acquired{nullptr, error});
  }
}

void Pool::wake_waiters(const Acquired& result) {
  auto waiters = std::move(waiters_);
  waiters_.clear();
  for (auto& w : waiters) asio::post(ctx_, asio::append(std::move(w.handler), result));
}

void Pool::drop_closed() {
  std::erase_if(ready_, [](const auto& c) { return !c->ready(); });
}

void Pool::sweep(Clock::time_point now) {
  for (auto& c : std::vector(connecting_)) c->check_deadlines(now);
  for (auto& c : std::vector(ready_)) c->check_deadlines(now);
  drop_closed();

  std::size_t active = 0;
  for (auto& c : ready_) {
    if (c->retired && c->pending() == 0)
      c->close("retired");
    else if (!c->retired)
      ++active;
  }
  for (auto& c : ready_) {
    if (active <= static_cast<std::size_t>(options_.min)) break;
    if (!c->retired && c->ready() && c->pending() == 0 && now - c->last_used >= options_.idle_timeout) {
      c->close("idle");
      --active;
    }
  }
  drop_closed();

  for (auto it = waiters_.begin(); it != waiters_.end();) {
    if (it->deadline <= now) {
      asio::post(ctx_, asio::append(std::move(it->handler), Acquired{nullptr, "no connection available in time"}));
      it = waiters_.erase(it);
    } else {
      ++it;
    }
  }

  if (!closed_ && connecting_.empty() && active < static_cast<std::size_t>(options_.min) && now >= next_connect_at_)
    start_connect();
}

void Pool::retire_all() {
  bool any = false;
  for (auto& c : ready_) {
    if (!c->retired) any = true;
    c->retired = true;
  }
  if (any) log::warn("redis server is no longer the primary: reconnecting");
}

void Pool::close_all(const std::string& detail) {
  closed_ = true;
  for (auto& c : std::vector(connecting_)) c->close(detail);
  for (auto& c : std::vector(ready_)) c->close(detail);
  ready_.clear();
  wake_waiters(Acquired{nullptr, detail});
}

}  // namespace b2w::kv::redis
