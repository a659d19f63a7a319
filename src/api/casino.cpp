#include "api/casino.hpp"

#include <algorithm>
#include <variant>

#include "api/json_input.hpp"
#include "api/pagination.hpp"
#include "api/query_params.hpp"
#include "casino/fundist.hpp"
#include "http/api_error.hpp"
#include "http/response.hpp"
#include "observability/log.hpp"
#include "observability/metrics.hpp"
#include "util/time.hpp"

namespace b2w::api {

using http::Awaitable;
using http::Response;
using http::Status;

namespace {

// Every callback answered counts; those refused (caller, signature, the wallet's refusal) count again on their own.
void count_callback(bool refused) {
  metrics::add(metrics::Counter::casino_callbacks);
  if (refused) metrics::add(metrics::Counter::casino_callbacks_refused);
}

}  // namespace

RouteHandler fundist_callback(casino::CasinoWallet& wallet, FundistCallbackOptions options) {
  return [&wallet, options = std::move(options)](Call call) -> Awaitable<Response> {
    namespace fundist = casino::fundist;
    if (!options.allowed_callers.empty()) {
      if (!in_any(options.allowed_callers, call.ctx.client_ip)) {
        log::warn("casino callback refused: caller not allowed")
            .str("aggregator", fundist::kAggregator)
            .str("ip", call.ctx.client_ip);
        count_callback(true);
        co_return http::raw_json_response(
            Status::ok, fundist::render_rejection({.error = "Access denied", .reason = "caller"}, options.hmac_secret));
      }
    }
    auto read = fundist::read_callback(call.ctx.request.body(), options.hmac_secret);
    if (const auto* rejected = std::get_if<fundist::Rejected>(&read)) {
      log::warn("casino callback rejected").str("aggregator", fundist::kAggregator).str("reason", rejected->reason);
      count_callback(true);
      co_return http::raw_json_response(Status::ok, fundist::render_rejection(*rejected, options.hmac_secret));
    }
    const auto wallet_call = std::get<casino::WalletCall>(std::move(read));
    const auto reply = co_await wallet.handle(wallet_call);
    count_callback(reply.refusal.has_value());  // answered after the wallet's transaction committed (or refused)
    if (reply.refusal)
      log::info("casino callback refused")
          .str("aggregator", fundist::kAggregator)
          .str("refusal", casino::to_string(*reply.refusal))
          .str("tid", wallet_call.tid);
    co_return http::raw_json_response(Status::ok, fundist::render_reply(wallet_call, reply, options.hmac_secret));
  };
}

namespace {

// A short text filter from the query; 422 naming it when it is too long.
std::string filter_param(const http::RequestContext& ctx, const char* name) {
  auto value = ctx.query_param(name).value_or("");
  if (value.size() > 100) throw http::ApiError::validation().detail(name, "is longer than 100 characters");
  return value;
}

bool flag_param(const http::RequestContext& ctx, const char* name) {
  const auto value = ctx.query_param(name);
  if (!value || value->empty() || *value == "false") return false;
  if (*value == "true") return true;
  throw http::ApiError::validation().detail(name, "must be true or false");
}

boost::json::object game_json(const casino::CasinoGame& g) {
  boost::json::value thumbnail = nullptr;
  if (!g.thumbnail.empty()) thumbnail = g.thumbnail;
  return {{"id", g.id},
          {"name", g.name},
          {"provider", g.provider},
          {"category", g.category},
          {"thumbnail_url", std::move(thumbnail)},
          {"has_demo", g.has_demo},
          {"mobile", g.mobile}};
}

// An optional boolean field; recorded as a problem when present and not a boolean.
bool optional_flag(Validation& v, const boost::json::object& body, const char* field) {
  const auto* value = body.if_contains(field);
  if (!value || value->is_null()) return false;
  if (!value->is_bool()) {
    v.fail(field, "must be true or false");
    return false;
  }
  return value->get_bool();
}

boost::json::object totals_json(std::int64_t rounds, domain::Kobo staked, domain::Kobo won) {
  return {{"rounds", rounds}, {"staked", staked}, {"won", won}, {"ggr", staked - won}};
}

}  // namespace

RouteHandler casino_games(casino::CasinoLobby& lobby) {
  return [&lobby](Call call) -> Awaitable<Response> {
    const auto page = page_request(call.ctx);
    const casino::GameFilter filter{.provider = filter_param(call.ctx, "provider"),
                                    .category = filter_param(call.ctx, "category"),
                                    .search = filter_param(call.ctx, "search"),
                                    .mobile_only = flag_param(call.ctx, "mobile")};
    const auto catalogue = lobby.catalogue();
    auto games = catalogue->page(filter, page.after, static_cast<std::size_t>(page.limit) + 1);
    auto res = http::json_response(
        Status::ok,
        page_json(
            games, page, [](const casino::CasinoGame& g) { return std::pair(g.position, g.id); }, game_json));
    res.set(http::Field::cache_control, "public, max-age=60");
    co_return res;
  };
}

RouteHandler start_casino_session(casino::CasinoLobby& lobby) {
  return [&lobby](Call call) -> Awaitable<Response> {
    const auto body = call.ctx.json_body();
    Validation v;
    casino::LaunchOptions options;
    const auto game_id = v.string(body.as_object(), "game_id", true);
    if (game_id && (game_id->empty() || game_id->size() > 100)) v.fail("game_id", "must be a game id");
    options.game_id = game_id.value_or("");
    options.mobile = optional_flag(v, body.as_object(), "mobile");
    options.demo = optional_flag(v, body.as_object(), "demo");
    if (const auto language = v.string(body.as_object(), "language", false)) {
      const bool two_letters = language->size() == 2 && std::all_of(language->begin(), language->end(),
                                                                    [](char c) { return c >= 'a' && c <= 'z'; });
      if (!two_letters) v.fail("language", "must be a two-letter language code such as \"en\"");
      options.language = *language;
    }
    v.check();
    const auto launched = co_await lobby.launch(call.user.sub, call.ctx.client_ip, std::move(options));
    co_return http::json_response(Status::created,
                                  boost::json::object{{"session_id", launched.session_id}, {"html", launched.html}});
  };
}

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
