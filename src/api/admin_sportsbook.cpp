#include "api/admin_sportsbook.hpp"

#include <boost/json/array.hpp>
#include <set>

#include "api/actor.hpp"
#include "api/json_input.hpp"
#include "api/sportsbook_json.hpp"
#include "domain/money.hpp"
#include "domain/odds.hpp"
#include "domain/sportsbook.hpp"
#include "http/api_error.hpp"
#include "http/response.hpp"
#include "util/time.hpp"

namespace b2w::api {

using http::ApiError;
using http::Awaitable;
using http::Response;
using http::Status;

namespace {

constexpr std::size_t kMaxNameLength = 100;
constexpr std::size_t kMaxSelections = 50;

std::optional<std::string> name_field(Validation& v, const boost::json::object& o, const char* field, bool required,
                                      std::size_t max = kMaxNameLength) {
  auto text = v.string(o, field, required);
  if (!text) return std::nullopt;
  auto clean = domain::clean_name(*text, max);
  if (!clean) v.fail(field, "must be 1 to " + std::to_string(max) + " characters, no control characters");
  return clean;
}

std::optional<std::int64_t> time_field(Validation& v, const boost::json::object& o, const char* field, bool required) {
  auto text = v.string(o, field, required);
  if (!text) return std::nullopt;
  auto at = parse_rfc3339(*text);
  if (!at) v.fail(field, "must be an RFC 3339 time such as 2026-12-01T18:00:00Z");
  return at;
}

// Odds are decimal strings ("1.85"): a JSON number would invite binary floating point.
std::optional<domain::Odds> odds_field(Validation& v, const boost::json::object& o, const std::string& where) {
  const auto* value = o.if_contains("odds");
  if (!value || !value->is_string()) {
    v.fail(where, "must be a decimal string such as \"1.85\"");
    return std::nullopt;
  }
  auto odds = domain::parse_odds(value->as_string());
  if (!odds) v.fail(where, "must be from 1.01 to 1000 with at most 3 decimals");
  return odds;
}

const boost::json::array* array_field(Validation& v, const boost::json::object& o, const char* field, bool required) {
  const auto* value = o.if_contains(field);
  if (!value || value->is_null()) {
    if (required) v.fail(field, "is required");
    return nullptr;
  }
  if (!value->is_array()) {
    v.fail(field, "must be an array");
    return nullptr;
  }
  return &value->as_array();
}

const boost::json::object* object_at(Validation& v, const boost::json::array& a, std::size_t i,
                                     const std::string& where) {
  if (!a[i].is_object()) {
    v.fail(where, "must be an object");
    return nullptr;
  }
  return &a[i].as_object();
}

sportsbook::NewEvent new_event(const boost::json::object& o) {
  Validation v;
  auto sport = v.string(o, "sport", true);
  if (sport && !domain::find_sport(*sport)) v.fail("sport", "is not a sport we offer (see GET /sports)");
  auto home = name_field(v, o, "home", true);
  auto away = name_field(v, o, "away", true);
  auto name = name_field(v, o, "name", false, 200);
  auto starts_at = time_field(v, o, "starts_at", true);
  v.check();
  return {*sport, name.value_or(*home + " vs " + *away), *home, *away, *starts_at};
}

sportsbook::EventChange event_change(const boost::json::object& o) {
  Validation v;
  sportsbook::EventChange change;
  if (auto status = v.string(o, "status", false)) {
    change.status = domain::parse_event_status(*status);
    if (!change.status) v.fail("status", "must be scheduled, live, finished or cancelled");
  }
  change.starts_at = time_field(v, o, "starts_at", false);
  if (!o.contains("status") && !o.contains("starts_at")) v.fail("status", "status or starts_at is required");
  v.check();
  return change;
}

sportsbook::NewMarket new_market(const boost::json::object& o) {
  Validation v;
  sportsbook::NewMarket market;
  market.name = name_field(v, o, "name", true).value_or("");
  if (const auto* list = array_field(v, o, "selections", true)) {
    if (list->size() < 2 || list->size() > kMaxSelections)
      v.fail("selections", "must have 2 to " + std::to_string(kMaxSelections) + " selections");
    std::set<std::string> names;
    for (std::size_t i = 0; i < list->size() && i < kMaxSelections; ++i) {
      const auto where = "selections[" + std::to_string(i) + "]";
      const auto* s = object_at(v, *list, i, where);
      if (!s) continue;
      auto name = name_field(v, *s, "name", true);
      auto odds = odds_field(v, *s, where + ".odds");
      if (name && !names.insert(*name).second) v.fail(where + ".name", "repeats another selection's name");
      if (name && odds) market.selections.emplace_back(*name, *odds);
    }
  }
  v.check();
  return market;
}

sportsbook::MarketChange market_change(const boost::json::object& o) {
  Validation v;
  sportsbook::MarketChange change;
  const auto status = v.string(o, "status", false);
  if (status) {
    change.status = domain::parse_market_status(*status);
    if (!change.status || domain::market_is_final(*change.status))
      v.fail("status", "must be open or suspended (settle a market with POST .../settle)");
  }
  if (const auto* list = array_field(v, o, "selections", false)) {
    for (std::size_t i = 0; i < list->size(); ++i) {
      const auto where = "selections[" + std::to_string(i) + "]";
      const auto* s = object_at(v, *list, i, where);
      if (!s) continue;
      const auto* id = s->if_contains("id");
      if (!id || !id->is_string()) v.fail(where + ".id", "is required");
      auto odds = odds_field(v, *s, where + ".odds");
      if (id && id->is_string() && odds) change.odds.emplace_back(std::string(id->as_string()), *odds);
    }
  }
  if (!status && change.odds.empty()) v.fail("status", "status or selections is required");
  v.check();
  return change;
}

sportsbook::SettleRequest settle_request(const boost::json::object& o) {
  sportsbook::SettleRequest r;
  const auto* void_flag = o.if_contains("void");
  const auto* results = o.if_contains("results");
  if (void_flag && !(void_flag->is_bool() && void_flag->as_bool()))
    throw ApiError::validation().detail("void", "must be true when present");
  if ((void_flag != nullptr) == (results != nullptr))
    throw ApiError::validation().detail("results", "send either results or void: true");
  if (void_flag) {
    r.void_market = true;
    return r;
  }
  if (!results->is_object())
    throw ApiError::validation().detail("results", "must map each selection id to won, lost or void");
  for (const auto& [id, result] : results->as_object()) {
    if (!result.is_string())
      throw ApiError::validation().detail("results." + std::string(id), "must be won, lost or void");
    r.results.emplace(std::string(id), std::string(result.as_string()));
  }
  return r;
}

}  // namespace

RouteHandler create_event(sportsbook::CatalogAdmin& admin) {
  return [&admin](Call call) -> Awaitable<Response> {
    auto event = co_await admin.create_event(new_event(call.body()), actor_of(call));
    co_return http::json_response(Status::created, event_json(event));
  };
}

RouteHandler update_event(sportsbook::CatalogAdmin& admin) {
  return [&admin](Call call) -> Awaitable<Response> {
    auto event = co_await admin.update_event(call.param("id"), event_change(call.body()), actor_of(call));
    co_return http::json_response(Status::ok, event_json(event));
  };
}

RouteHandler create_market(sportsbook::CatalogAdmin& admin) {
  return [&admin](Call call) -> Awaitable<Response> {
    auto market = co_await admin.create_market(call.param("id"), new_market(call.body()), actor_of(call));
    co_return http::json_response(Status::created, market_json(market));
  };
}

RouteHandler update_market(sportsbook::CatalogAdmin& admin) {
  return [&admin](Call call) -> Awaitable<Response> {
    auto market = co_await admin.update_market(call.param("id"), market_change(call.body()), actor_of(call));
    co_return http::json_response(Status::ok, market_json(market));
  };
}

RouteHandler settle_market(sportsbook::CatalogAdmin& admin) {
  return [&admin](Call call) -> Awaitable<Response> {
    auto settled = co_await admin.settle_market(call.param("id"), settle_request(call.body()), actor_of(call));
    auto out = market_json(settled.market);
    out["bets_settled"] = settled.bets_settled;
    co_return http::json_response(Status::ok, out);
  };
}

RouteHandler market_liability(sportsbook::Catalog& catalog) {
  return [&catalog](Call call) -> Awaitable<Response> {
    const auto id = call.param("id");
    const auto liability = co_await catalog.liability(std::string(id));
    boost::json::array selections;
    for (const auto& s : liability.selections)
      selections.push_back(boost::json::object{{"selection_id", s.selection_id},
                                               {"name", s.name},
                                               {"odds", domain::format_odds(s.odds)},
                                               {"open_bets", s.open_bets},
                                               {"open_stakes", s.open_stakes},
                                               {"payout_if_wins", s.payout_if_wins}});
    co_return http::json_response(Status::ok, boost::json::object{{"market_id", id},
                                                                  {"currency", domain::kCurrency},
                                                                  {"open_bets", liability.open_bets},
                                                                  {"open_stakes", liability.open_stakes},
                                                                  {"selections", std::move(selections)}});
  };
}

}  // namespace b2w::api
