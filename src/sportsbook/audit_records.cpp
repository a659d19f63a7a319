#include "sportsbook/audit_records.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include "domain/odds.hpp"
#include "domain/sportsbook.hpp"
#include "util/time.hpp"

namespace b2w::sportsbook {
namespace {

store::AuditEntry entry(domain::Actor actor, const char* action, const char* type, std::string id,
                        const boost::json::object* before, const boost::json::object* after) {
  store::AuditEntry e;
  e.actor = std::move(actor);
  e.action = action;
  e.entity_type = type;
  e.entity_id = std::move(id);
  if (before) e.before = boost::json::serialize(*before);
  if (after) e.after = boost::json::serialize(*after);
  return e;
}

boost::json::object selections_json(const store::Market& m) {
  boost::json::object out;
  for (const auto& s : m.selections) out[s.id] = {{"name", s.name}, {"odds", domain::format_odds(s.odds)}};
  return out;
}

}  // namespace

domain::Actor system_actor() {
  return domain::Actor{"system", "system", ""};
}

store::AuditEntry event_created(domain::Actor actor, const store::Event& e) {
  const boost::json::object after{{"sport", e.sport},
                                  {"name", e.name},
                                  {"home", e.home},
                                  {"away", e.away},
                                  {"starts_at", rfc3339(e.starts_at)},
                                  {"status", domain::to_string(e.status)}};
  return entry(std::move(actor), "event.create", "event", e.id, nullptr, &after);
}

store::AuditEntry event_changed(domain::Actor actor, const store::Event& before, const store::Event& after) {
  boost::json::object was, is;
  if (before.status != after.status) {
    was["status"] = domain::to_string(before.status);
    is["status"] = domain::to_string(after.status);
  }
  if (before.starts_at != after.starts_at) {
    was["starts_at"] = rfc3339(before.starts_at);
    is["starts_at"] = rfc3339(after.starts_at);
  }
  return entry(std::move(actor), "event.update", "event", after.id, &was, &is);
}

store::AuditEntry market_created(domain::Actor actor, const store::Market& m) {
  const boost::json::object after{{"event_id", m.event_id},
                                  {"name", m.name},
                                  {"status", domain::to_string(m.status)},
                                  {"selections", selections_json(m)}};
  return entry(std::move(actor), "market.create", "market", m.id, nullptr, &after);
}

store::AuditEntry market_changed(domain::Actor actor, const store::Market& before, const store::Market& after) {
  boost::json::object was, is;
  if (before.status != after.status) {
    was["status"] = domain::to_string(before.status);
    is["status"] = domain::to_string(after.status);
  }
  boost::json::object odds_was, odds_is;
  for (std::size_t i = 0; i < before.selections.size() && i < after.selections.size(); ++i)
    if (before.selections[i].odds != after.selections[i].odds) {
      odds_was[before.selections[i].id] = domain::format_odds(before.selections[i].odds);
      odds_is[after.selections[i].id] = domain::format_odds(after.selections[i].odds);
    }
  if (!odds_is.empty()) {
    was["odds"] = std::move(odds_was);
    is["odds"] = std::move(odds_is);
  }
  return entry(std::move(actor), "market.update", "market", after.id, &was, &is);
}

store::AuditEntry market_settled(domain::Actor actor, const std::string& market_id, domain::MarketStatus before,
                                 domain::MarketStatus after, const std::map<std::string, domain::LegResult>& results) {
  const boost::json::object was{{"status", domain::to_string(before)}};
  boost::json::object by_selection;
  for (const auto& [id, result] : results) by_selection[id] = domain::to_string(result);
  const boost::json::object is{{"status", domain::to_string(after)}, {"results", std::move(by_selection)}};
  const char* action = after == domain::MarketStatus::void_ ? "market.void" : "market.settle";
  return entry(std::move(actor), action, "market", market_id, &was, &is);
}

}  // namespace b2w::sportsbook
