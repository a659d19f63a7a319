#include "api/stream.hpp"

#include <algorithm>
#include <boost/beast/websocket/rfc6455.hpp>
#include <exception>
#include <map>
#include <set>

#include "api/sportsbook_json.hpp"
#include "http/api_error.hpp"
#include "observability/log.hpp"
#include "observability/metrics.hpp"
#include "stream/handshake.hpp"

namespace b2w::api {

using http::ApiError;
using http::Response;
using http::Status;

std::vector<std::string> origin_list(std::string_view text) {
  std::vector<std::string> out;
  while (!text.empty()) {
    const auto comma = text.find(',');
    auto item = text.substr(0, comma);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    if (!item.empty()) out.emplace_back(item);
    text = comma == std::string_view::npos ? std::string_view() : text.substr(comma + 1);
  }
  return out;
}

RouteHandler open_stream(StreamRoute d) {
  return [d = std::move(d)](Call call) -> http::Awaitable<Response> {
    auto& ctx = call.ctx;
    if (!boost::beast::websocket::is_upgrade(ctx.request))
      throw ApiError(Status::upgrade_required, "upgrade_required",
                     "This resource speaks WebSocket only: send Connection: Upgrade and Upgrade: websocket")
          .header(http::Field::upgrade, "websocket");
    // RFC 6455 §4.2.2: another version is answered 426 with the one spoken; a key that is not 16 bytes of base64, 400.
    if (ctx.request[http::Field::sec_websocket_version] != "13")
      throw ApiError(Status::upgrade_required, "unsupported_websocket_version",
                     "This server speaks WebSocket version 13")
          .header(http::Field::sec_websocket_version, "13");
    if (!stream::valid_websocket_key(ctx.request[http::Field::sec_websocket_key]))
      throw ApiError(Status::bad_request, "invalid_websocket_key",
                     "Sec-WebSocket-Key must be 16 random bytes in base64 (RFC 6455)");
    if (!d.allowed_origins.empty()) {
      const std::string_view origin = ctx.request[http::Field::origin];
      if (std::find(d.allowed_origins.begin(), d.allowed_origins.end(), origin) == d.allowed_origins.end())
        throw ApiError(Status::forbidden, "origin_not_allowed", "This Origin may not open the stream");
    }
    if (d.health.draining.load() || d.hub.going_away())
      throw ApiError(Status::service_unavailable, "draining", "This task is shutting down; connect again")
          .header(http::Field::retry_after, "1");
    if (d.hub.full())
      throw ApiError(Status::service_unavailable, "too_many_connections",
                     "This task serves as many stream connections as it may; connect again shortly")
          .header(http::Field::retry_after, "1");
    ctx.upgrade = [&hub = d.hub, id = ctx.request_id](boost::asio::ip::tcp::socket socket,
                                                      const http::Request& request) {
      hub.accept(std::move(socket), request, id);
    };
    Response res{Status::switching_protocols, ctx.request.version()};
    co_return res;
  };
}

Awaitable<void> StreamChanges::market_changed(const store::Market& market, bool odds) {
  std::string type = odds ? "odds" : "market_status";
  std::string event_id = market.event_id;
  std::string market_id = market.id;
  auto json = market_json(market);
  co_await publisher_.market_changed(std::move(type), std::move(event_id), std::move(market_id), market.version,
                                     std::move(json));
}

Awaitable<void> StreamChanges::event_changed(const store::Event& event) {
  auto json = event_json(event);
  json.erase("markets");  // their changes come as market messages of their own
  std::string event_id = event.id;
  co_await publisher_.event_changed(std::move(event_id), std::move(json));
}

Awaitable<void> StreamChanges::bet_placed(const store::Bet& bet) {
  auto json = bet_json(bet);
  std::string user_id = bet.user_id;
  co_await publisher_.bet_changed(user_id, std::move(json));
  co_await balance_of(std::move(user_id));
}

Awaitable<void> StreamChanges::bets_closed(std::vector<sportsbook::ClosedBet> bets) {
  std::set<std::string> owners;
  for (const auto& b : bets) {
    boost::json::object json{{"id", b.bet_id}, {"status", domain::to_string(b.status)}, {"payout", b.payout}};
    std::string user_id = b.user_id;
    co_await publisher_.bet_changed(std::move(user_id), std::move(json));
    owners.insert(b.user_id);
  }
  for (const auto& owner : owners) {
    std::string user_id = owner;
    co_await balance_of(std::move(user_id));
  }
}

Awaitable<void> StreamChanges::balance_of(std::string user_id) {
  bool failed = false;
  std::int64_t balance = 0;
  try {
    const auto balances = co_await ledger_.balances(user_id);
    balance = balances.balance;
  } catch (const std::exception& e) {
    failed = true;
    log::warn("stream: balance unavailable").str("error", e.what());
  }
  if (failed) {
    metrics::add(metrics::Counter::stream_publish_failures);
    co_return;
  }
  co_await publisher_.balance_changed(std::move(user_id), balance);
}

}  // namespace b2w::api
