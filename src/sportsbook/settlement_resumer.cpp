#include "sportsbook/settlement_resumer.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "observability/log.hpp"
#include "observability/metrics.hpp"
#include "observability/sentry.hpp"

namespace b2w::sportsbook {

namespace {

// One round; false when it failed (logged by the caller: no co_await may sit in a catch block).
Awaitable<bool> resume_round(Settlement& settlement, std::chrono::milliseconds age, std::string& error) {
  try {
    const auto lag = co_await settlement.lag();
    metrics::observe(metrics::Gauge::settlement_lag_seconds,
                     std::chrono::duration_cast<std::chrono::seconds>(lag).count());
    const auto markets = co_await settlement.pending(std::chrono::duration_cast<std::chrono::microseconds>(age));
    for (const auto& market_id : markets) {
      const auto settled = co_await settlement.resolve(market_id);
      if (settled.bets_settled == 0) continue;  // finished meanwhile (a re-send, another task): nothing resumed here
      metrics::add(metrics::Counter::settlements_resumed);
      log::info("settlement resumed").str("market_id", market_id).num("bets_settled", settled.bets_settled);
    }
    co_return true;
  } catch (const std::exception& e) {
    error = e.what();
    sentry::report({.type = sentry::type_name(e), .message = error, .component = "settlement_resumer"});
  }
  co_return false;
}

}  // namespace

Awaitable<void> resume_settlements(Settlement& settlement, std::chrono::milliseconds interval) {
  boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor);
  for (;;) {
    timer.expires_after(interval);
    auto [ec] = co_await timer.async_wait(boost::asio::as_tuple(boost::asio::use_awaitable));
    if (ec) co_return;
    std::string error;
    const bool ok = co_await resume_round(settlement, interval, error);
    if (ok) continue;
    metrics::add(metrics::Counter::settlement_resumer_failures);
    log::warn("settlement resumer failed; retrying next round").str("error", error);
  }
}

}  // namespace b2w::sportsbook
