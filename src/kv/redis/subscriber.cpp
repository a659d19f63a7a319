#include "kv/redis/subscriber.hpp"

#include <algorithm>
#include <array>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <chrono>

#include "kv/redis_store.hpp"
#include "observability/log.hpp"

namespace b2w::kv::redis {

namespace asio = boost::asio;
using std::chrono::milliseconds;
constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

Subscriber::Subscriber(asio::io_context& ctx, std::shared_ptr<const ConnectionSettings> settings,
                       const RedisOptions& options, const std::atomic<bool>& stopping)
    : ctx_(ctx), settings_(std::move(settings)), options_(options), stopping_(stopping), timer_(ctx) {}

void Subscriber::add(const std::string& channel, Subscription s) {
  if (stopping_) return;
  auto& list = subscriptions_[channel];
  list.push_back(std::move(s));
  if (list.size() == 1 && live_ && conn_ && conn_->ready()) {
    const std::array<std::string_view, 2> args{"SUBSCRIBE", channel};
    conn_->send(args);
  }
  if (!running_) {
    running_ = true;
    asio::co_spawn(ctx_, run(), asio::detached);
  }
}

void Subscriber::check_deadlines(Clock::time_point now) {
  if (conn_) conn_->check_deadlines(now);
}

void Subscriber::close(const std::string& detail) {
  timer_.cancel();
  if (conn_) conn_->close(detail);
}

void Subscriber::notify_gap() {
  for (auto& [channel, list] : subscriptions_) {
    for (auto& s : list) {
      if (!s.on_gap) continue;
      try {
        s.on_gap();
      } catch (const std::exception& e) {
        log::error("pub/sub gap handler threw").str("channel", channel).str("error", e.what());
      }
    }
  }
}

void Subscriber::on_push(Reply& r) {
  const auto& kind = r.elements.front().str;
  if (kind == "message" && r.elements.size() >= 3) {
    auto it = subscriptions_.find(r.elements[1].str);
    if (it == subscriptions_.end()) return;
    for (auto& s : it->second) {
      try {
        s.on_message(r.elements[2].str);
      } catch (const std::exception& e) {
        log::error("pub/sub message handler threw").str("channel", it->first).str("error", e.what());
      }
    }
  } else if (kind == "subscribe") {
    confirmed_ = true;
    if (gap_pending_) {
      gap_pending_ = false;
      notify_gap();  // messages published while the link was down were missed
    }
  }
}

asio::awaitable<void> Subscriber::run() {
  int failures = 0;
  bool lost_before = false;
  while (!stopping_) {
    auto conn = std::make_shared<Connection>(ctx_, settings_);
    conn->on_push = [this](Reply& r) { on_push(r); };
    conn->on_closed = [this] { timer_.cancel(); };
    conn_ = conn;
    std::string error;
    try {
      co_await conn->open(Clock::now() + std::max(options_.acquire_timeout, options_.command_timeout));
    } catch (const ConnectError& e) {
      error = e.what();
    } catch (const std::exception&) {
      error = "cannot connect";
    }
    if (stopping_) break;
    if (!error.empty()) {
      conn->close(error);
      conn_.reset();
      ++failures;
      const auto backoff =
          std::min(milliseconds(50) * (1 << std::min(failures - 1, 10)), options_.reconnect_backoff_max);
      timer_.expires_after(backoff);
      co_await timer_.async_wait(use_tuple);
      continue;
    }
    failures = 0;
    if (lost_before) {
      ++resubscribes_;
      gap_pending_ = true;
    }
    std::vector<std::string_view> args{"SUBSCRIBE"};
    for (const auto& [channel, list] : subscriptions_) args.push_back(channel);
    conn->send(args);
    live_ = true;
    // PING now and then: a failed node that never closes the connection is noticed by the timeout.
    while (conn->ready() && !stopping_) {
      timer_.expires_after(options_.subscriber_ping_interval);
      co_await timer_.async_wait(use_tuple);
      if (!conn->ready() || stopping_) break;
      const std::array<std::string_view, 1> ping{"PING"};
      Result r = co_await conn->execute(ping, Clock::now() + options_.command_timeout, asio::use_awaitable);
      if (r.failure != Failure::none) break;
    }
    live_ = false;
    confirmed_ = false;
    conn->close("subscriber reconnecting");
    conn_.reset();
    if (stopping_) break;
    if (!lost_before) log::warn("redis subscriber connection lost: resubscribing");
    lost_before = true;
    notify_gap();  // from now until the resubscription, messages are missed
  }
  running_ = false;
}

}  // namespace b2w::kv::redis
