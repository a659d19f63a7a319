#include "api/casino.hpp"

#include <algorithm>
#include <variant>

#include "api/pagination.hpp"
#include "api/query_params.hpp"
#include "casino/fundist.hpp"
#include "http/api_error.hpp"
#include "http/response.hpp"
#include "observability/log.hpp"
#include "util/time.hpp"

namespace b2w::api {

using http::Awaitable;
using http::Response;
using http::Status;

RouteHandler fundist_callback(casino::CasinoWallet& wallet, FundistCallbackOptions options) {
  return [&wallet, options = std::move(options)](Call call) -> Awaitable<Response> {
    namespace fundist = casino::fundist;
    if (!options.allowed_callers.empty()) {
      const auto ip = parse_ip(call.ctx.client_ip);
      const bool allowed = ip && std::any_of(options.allowed_callers.begin(), options.allowed_callers.end(),
                                             [&](const IpNetwork& n) { return n.contains(*ip); });
      if (!allowed) {
        log::warn("casino callback refused: caller not allowed")
            .str("aggregator", fundist::kAggregator)
            .str("ip", call.ctx.client_ip);
        co_return http::raw_json_response(
            Status::ok, fundist::render_rejection({.error = "Access denied", .reason = "caller"}, options.hmac_secret));
      }
    }
    auto read = fundist::read_callback(call.ctx.request.body(), options.hmac_secret);
    if (const auto* rejected = std::get_if<fundist::Rejected>(&read)) {
      log::warn("casino callback rejected").str("aggregator", fundist::kAggregator).str("reason", rejected->reason);
      co_return http::raw_json_response(Status::ok, fundist::render_rejection(*rejected, options.hmac_secret));
    }
    const auto wallet_call = std::get<casino::WalletCall>(std::move(read));
    const auto reply = co_await wallet.handle(wallet_call);
    if (reply.refusal)
      log::info("casino callback refused")
          .str("aggregator", fundist::kAggregator)
          .str("refusal", casino::to_string(*reply.refusal))
          .str("tid", wallet_call.tid);
    co_return http::raw_json_response(Status::ok, fundist::render_reply(wallet_call, reply, options.hmac_secret));
  };
}

namespace {

boost::json::object totals_json(std::int64_t rounds, domain::Kobo staked, domain::Kobo won) {
  return {{"rounds", rounds}, {"staked", staked}, {"won", won}, {"ggr", staked - won}};
}

}  // namespace

RouteHandler own_rounds(casino::CasinoReports& reports) {
  return [&reports](Call call) -> Awaitable<Response> {
    const auto page = page_request(call.ctx);
    auto rounds = co_await reports.rounds(call.user.sub, page.limit + 1, page.after);
    co_return http::json_response(Status::ok, page_json(
                                                  rounds, page,
                                                  [](const store::CasinoRound& r) {
                                                    return std::pair(r.last_at, r.aggregator + ":" + r.round_id);
                                                  },
                                                  [](const store::CasinoRound& r) {
                                                    return boost::json::object{{"aggregator", r.aggregator},
                                                                               {"round_id", r.round_id},
                                                                               {"game", r.game},
                                                                               {"staked", r.staked},
                                                                               {"won", r.won},
                                                                               {"net", r.won - r.staked},
                                                                               {"started_at", rfc3339(r.started_at)},
                                                                               {"last_at", rfc3339(r.last_at)}};
                                                  }));
  };
}

RouteHandler casino_summary(casino::CasinoReports& reports) {
  return [&reports](Call call) -> Awaitable<Response> {
    const auto from = time_param(call.ctx, "from");
    const auto to = time_param(call.ctx, "to");
    if (!from || !to) throw http::ApiError::validation().detail(from ? "to" : "from", "is required (RFC 3339)");
    const auto summary = co_await reports.summary(*from, *to);
    boost::json::array aggregators;
    for (const auto& a : summary) {
      auto item = totals_json(a.rounds, a.staked, a.won);
      item["aggregator"] = a.aggregator;
      boost::json::array games;
      for (const auto& g : a.games) {
        auto game = totals_json(g.rounds, g.staked, g.won);
        game["game"] = g.game;
        games.push_back(std::move(game));
      }
      item["games"] = std::move(games);
      aggregators.push_back(std::move(item));
    }
    co_return http::json_response(
        Status::ok,
        boost::json::object{{"from", rfc3339(*from)}, {"to", rfc3339(*to)}, {"aggregators", std::move(aggregators)}});
  };
}

}  // namespace b2w::api
