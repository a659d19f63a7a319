#include "api/bets.hpp"

#include <boost/json/array.hpp>

#include "api/json_input.hpp"
#include "api/pagination.hpp"
#include "api/sportsbook_json.hpp"
#include "domain/betting.hpp"
#include "http/api_error.hpp"
#include "http/response.hpp"
#include "util/digest.hpp"

namespace b2w::api {

using http::ApiError;
using http::Awaitable;
using http::Response;
using http::Status;

namespace {

constexpr std::size_t kMostLegsParsed = 50;  // MAX_LEGS is at most this; Bets::place applies the configured limit

// {stake, legs:[{selection_id, odds}], odds_change?}: types and shapes; the rules live in sportsbook::Bets.
sportsbook::BetSlip bet_slip(const boost::json::object& o) {
  Validation v;
  auto fail = [&v](std::string field, std::string problem) { v.fail(std::move(field), std::move(problem)); };
  sportsbook::BetSlip slip;
  if (auto stake = kobo(o, "stake"))
    slip.stake = *stake;
  else
    fail("stake", "must be an integer number of kobo");
  const auto* legs = o.if_contains("legs");
  if (!legs || !legs->is_array() || legs->as_array().empty()) {
    fail("legs", "must be a non-empty array of {selection_id, odds}");
  } else if (legs->as_array().size() > kMostLegsParsed) {
    fail("legs", "has too many legs");
  } else {
    const auto& list = legs->as_array();
    for (std::size_t i = 0; i < list.size(); ++i) {
      const auto where = "legs[" + std::to_string(i) + "]";
      if (!list[i].is_object()) {
        fail(where, "must be an object {selection_id, odds}");
        continue;
      }
      const auto& leg = list[i].as_object();
      const auto* id = leg.if_contains("selection_id");
      const auto* odds = leg.if_contains("odds");
      std::optional<domain::Odds> parsed;
      if (!id || !id->is_string() || id->as_string().empty() || id->as_string().size() > 64)
        fail(where + ".selection_id", "must be a selection id");
      if (!odds || !odds->is_string())
        fail(where + ".odds", "must be the decimal odds you saw, as a string such as \"1.85\"");
      else if (!(parsed = domain::parse_odds(odds->as_string())))
        fail(where + ".odds", "must be from 1.01 to 1000 with at most 3 decimals");
      if (id && id->is_string() && parsed) slip.legs.emplace_back(std::string(id->as_string()), *parsed);
    }
  }
  if (const auto* policy = o.if_contains("odds_change"); policy && !policy->is_null()) {
    auto parsed = policy->is_string() ? domain::parse_odds_change(policy->as_string()) : std::nullopt;
    if (!parsed)
      fail("odds_change", "must be none, higher or any");
    else
      slip.odds_change = *parsed;
  }
  v.check();
  return slip;
}

}  // namespace

RouteHandler place_bet(sportsbook::Bets& bets, sportsbook::LiveBets& live_bets) {
  return [&bets, &live_bets](Call call) -> Awaitable<Response> {
    auto slip = bet_slip(call.body());
    auto placed = co_await bets.place(call.user.sub, std::move(slip), call.idempotency_key,
                                      to_hex(sha256(call.ctx.request.body())));
    // An in-play bet waits for its acceptance delay: 202, pending (GET /bets/{id} shows the outcome).
    const bool pending = placed.bet.status == domain::BetStatus::pending;
    if (pending && !placed.replayed && placed.bet.accept_at) live_bets.schedule(placed.bet.id, *placed.bet.accept_at);
    const auto status = pending ? Status::accepted : Status::created;
    auto res = http::json_response(status, bet_json(placed.bet));
    if (placed.replayed) res.set("Idempotent-Replayed", "true");
    co_return res;
  };
}

RouteHandler own_bets(sportsbook::Bets& bets) {
  return [&bets](Call call) -> Awaitable<Response> {
    std::optional<domain::BetStatus> status;
    if (auto text = call.ctx.query_param("status")) {
      status = domain::parse_bet_status(*text);
      if (!status) throw ApiError::validation().detail("status", "must be pending, open, won, lost, void or rejected");
    }
    const auto page = page_request(call.ctx);
    auto list = co_await bets.list(call.user.sub, status, page.limit + 1, page.after);
    co_return http::json_response(
        Status::ok, page_json(
                        list, page, [](const sportsbook::Bet& b) { return std::pair(b.created_at, b.id); },
                        [](const sportsbook::Bet& b) { return bet_json(b); }));
  };
}

RouteHandler own_bet(sportsbook::Bets& bets) {
  return [&bets](Call call) -> Awaitable<Response> {
    auto bet = co_await bets.find(call.user.sub, call.param("id"));
    // Someone else's bet does not exist, as far as this caller can tell.
    if (!bet) throw ApiError::not_found("No bet with this id");
    co_return http::json_response(Status::ok, bet_json(*bet));
  };
}

}  // namespace b2w::api
