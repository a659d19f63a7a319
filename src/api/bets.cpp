#include "api/bets.hpp"

#include <boost/json/array.hpp>

#include "api/idempotency.hpp"
#include "api/pagination.hpp"
#include "api/sportsbook_json.hpp"
#include "auth/authenticate.hpp"
#include "domain/betting.hpp"
#include "http/api_error.hpp"
#include "http/response.hpp"
#include "util/digest.hpp"

namespace b2w::api {

using http::ApiError;
using http::Awaitable;
using http::RequestContext;
using http::Response;
using http::Status;

namespace {

constexpr std::size_t kMostLegsParsed = 50;  // MAX_LEGS is at most this; Bets::place applies the configured limit

Response private_json(Status status, const boost::json::object& body) {
  auto res = http::json_response(status, body);
  res.set(http::Field::cache_control, "no-store");
  return res;
}

// {stake, legs:[{selection_id, odds}], odds_change?}: types and shapes; the rules live in sportsbook::Bets.
sportsbook::BetSlip bet_slip(const boost::json::object& o) {
  auto invalid = ApiError::validation();
  bool bad = false;
  auto fail = [&](std::string field, std::string problem) {
    invalid.detail(std::move(field), std::move(problem));
    bad = true;
  };
  sportsbook::BetSlip slip;
  const auto* stake = o.if_contains("stake");
  if (stake && stake->is_int64()) slip.stake = stake->as_int64();
  else if (stake && stake->is_uint64()) slip.stake = -1;  // beyond int64: out of range
  else fail("stake", "must be an integer number of kobo");
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
      if (!odds || !odds->is_string()) fail(where + ".odds", "must be the decimal odds you saw, as a string such as \"1.85\"");
      else if (!(parsed = domain::parse_odds(odds->as_string())))
        fail(where + ".odds", "must be from 1.01 to 1000 with at most 3 decimals");
      if (id && id->is_string() && parsed) slip.legs.emplace_back(std::string(id->as_string()), *parsed);
    }
  }
  if (const auto* policy = o.if_contains("odds_change"); policy && !policy->is_null()) {
    auto parsed = policy->is_string() ? domain::parse_odds_change(policy->as_string()) : std::nullopt;
    if (!parsed) fail("odds_change", "must be none, higher or any");
    else slip.odds_change = *parsed;
  }
  if (bad) throw invalid;
  return slip;
}

}  // namespace

void register_bets(http::Router& router, const std::string& root, sportsbook::Bets& bets,
                   const auth::Authenticator& authn) {
  router.add(http::Verb::post, root + "/bets", [&](RequestContext& ctx) -> Awaitable<Response> {
    const auto claims = co_await authn.current_user(ctx);
    const auto key = idempotency_key(ctx);
    const auto body = ctx.json_body();
    auto slip = bet_slip(body.as_object());
    auto placed = co_await bets.place(claims.sub, std::move(slip), key, to_hex(sha256(ctx.request.body())));
    auto res = private_json(Status::created, bet_json(placed.bet));
    if (placed.replayed) res.set("Idempotent-Replayed", "true");
    co_return res;
  });

  router.add(http::Verb::get, root + "/bets", [&](RequestContext& ctx) -> Awaitable<Response> {
    const auto claims = authn.user(ctx);
    std::optional<domain::BetStatus> status;
    if (auto text = ctx.query_param("status")) {
      status = domain::parse_bet_status(*text);
      if (!status) throw ApiError::validation().detail("status", "must be open, won, lost or void");
    }
    const auto page = page_request(ctx);
    auto list = co_await bets.list(claims.sub, status, page.limit + 1, page.after);
    const bool more = static_cast<int>(list.size()) > page.limit;
    if (more) list.pop_back();
    boost::json::array data;
    for (const auto& b : list) data.push_back(bet_json(b));
    boost::json::value next = nullptr;
    if (more) next = encode_cursor(list.back().created_at, list.back().id);
    co_return private_json(Status::ok, boost::json::object{{"data", std::move(data)}, {"next_cursor", next}});
  });

  router.add(http::Verb::get, root + "/bets/{id}", [&](RequestContext& ctx) -> Awaitable<Response> {
    const auto claims = authn.user(ctx);
    auto bet = co_await bets.find(claims.sub, std::string(ctx.param("id")));
    // Someone else's bet does not exist, as far as this caller can tell.
    if (!bet) throw ApiError::not_found("No bet with this id");
    co_return private_json(Status::ok, bet_json(*bet));
  });
}

}  // namespace b2w::api
