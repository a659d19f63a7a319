#include "api/sportsbook_json.hpp"

#include <boost/json/array.hpp>

#include "domain/live_betting.hpp"
#include "domain/money.hpp"
#include "domain/odds.hpp"
#include "domain/sportsbook.hpp"
#include "util/time.hpp"

namespace b2w::api {

namespace {

boost::json::value optional_result(const std::optional<domain::LegResult>& v) {
  return v ? boost::json::value(domain::to_string(*v)) : boost::json::value(nullptr);
}

}  // namespace

boost::json::object market_json(const sportsbook::Market& m) {
  boost::json::array selections;
  for (const auto& s : m.selections)
    selections.push_back(boost::json::object{
        {"id", s.id}, {"name", s.name}, {"odds", domain::format_odds(s.odds)}, {"result", optional_result(s.result)}});
  return {{"id", m.id},
          {"event_id", m.event_id},
          {"name", m.name},
          {"status", domain::to_string(m.status)},
          {"version", m.version},
          {"live", m.live},
          {"selections", std::move(selections)}};
}

boost::json::object event_json(const sportsbook::Event& e) {
  boost::json::array markets;
  for (const auto& m : e.markets) markets.push_back(market_json(m));
  return {{"id", e.id},
          {"sport", e.sport},
          {"name", e.name},
          {"home", e.home},
          {"away", e.away},
          {"starts_at", rfc3339(e.starts_at)},
          {"status", domain::to_string(e.status)},
          {"markets", std::move(markets)}};
}

boost::json::object bet_json(const sportsbook::Bet& b) {
  boost::json::array legs;
  for (const auto& l : b.legs)
    legs.push_back(boost::json::object{{"selection_id", l.selection_id},
                                       {"market_id", l.market_id},
                                       {"event_id", l.event_id},
                                       {"odds", domain::format_odds(l.odds)},
                                       {"status", domain::to_string(l.status)}});
  return {{"id", b.id},
          {"status", domain::to_string(b.status)},
          {"stake", b.stake},
          {"currency", domain::kCurrency},
          {"total_odds", b.total_odds},
          {"potential_payout", b.potential_payout},
          {"payout", b.payout ? boost::json::value(*b.payout) : boost::json::value(nullptr)},
          {"legs", std::move(legs)},
          {"created_at", rfc3339(b.created_at)},
          {"settled_at", b.settled_at ? boost::json::value(rfc3339(*b.settled_at)) : boost::json::value(nullptr)},
          {"accept_at", b.accept_at ? boost::json::value(rfc3339(*b.accept_at)) : boost::json::value(nullptr)},
          {"reject_reason",
           b.reject_reason ? boost::json::value(domain::to_string(*b.reject_reason)) : boost::json::value(nullptr)}};
}

}  // namespace b2w::api
