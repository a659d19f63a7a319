#include "domain/feed.hpp"

#include <algorithm>
#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <set>
#include <unordered_map>

#include "domain/error.hpp"
#include "domain/text.hpp"
#include "util/time.hpp"

namespace b2w::domain::feed {

namespace json = boost::json;

std::string_view to_string(MessageType type) {
  switch (type) {
    case MessageType::fixture_change:
      return "fixture_change";
    case MessageType::odds_change:
      return "odds_change";
    case MessageType::bet_stop:
      return "bet_stop";
    case MessageType::bet_settlement:
      return "bet_settlement";
    case MessageType::bet_cancel:
      return "bet_cancel";
    case MessageType::rollback_bet_settlement:
      return "rollback_bet_settlement";
  }
  return "fixture_change";
}

std::optional<MessageType> parse_message_type(std::string_view text) {
  for (const auto t : {MessageType::fixture_change, MessageType::odds_change, MessageType::bet_stop,
                       MessageType::bet_settlement, MessageType::bet_cancel, MessageType::rollback_bet_settlement})
    if (to_string(t) == text) return t;
  return std::nullopt;
}

bool changes_catalogue_only(MessageType type) {
  return type == MessageType::fixture_change || type == MessageType::odds_change || type == MessageType::bet_stop;
}

std::optional<FeedMarketStatus> parse_feed_market_status(std::string_view text) {
  if (text == "active") return FeedMarketStatus::active;
  if (text == "suspended") return FeedMarketStatus::suspended;
  if (text == "deactivated") return FeedMarketStatus::deactivated;
  return std::nullopt;
}

MarketStatus to_market_status(FeedMarketStatus status) {
  return status == FeedMarketStatus::active ? MarketStatus::open : MarketStatus::suspended;
}

namespace {

// A message's problem: the first one found is its rejection reason.
struct Invalid {
  std::string reason;
};

[[noreturn]] void invalid(std::string reason) {
  throw Invalid{std::move(reason)};
}

const json::value* field(const json::object& o, std::string_view name) {
  const auto* v = o.if_contains(name);
  return v && !v->is_null() ? v : nullptr;
}

// A provider id: a non-empty string of at most kMaxIdLength printable characters.
std::string id_at(const json::value* v, const std::string& where) {
  if (!v || !v->is_string()) invalid(where + " must be a string");
  std::string text(v->as_string());
  if (text.empty() || text.size() > kMaxIdLength ||
      std::any_of(text.begin(), text.end(), [](unsigned char c) { return c < 0x21 || c > 0x7e; }))
    invalid(where + " must be 1 to " + std::to_string(kMaxIdLength) + " printable characters without spaces");
  return text;
}

std::optional<std::string> optional_name(const json::object& o, std::string_view name, const std::string& where) {
  const auto* v = field(o, name);
  if (!v) return std::nullopt;
  if (!v->is_string()) invalid(where + " must be a string");
  auto clean = clean_name(v->as_string(), kMaxNameLength);
  if (!clean) invalid(where + " must be 1 to " + std::to_string(kMaxNameLength) + " characters, no control characters");
  return clean;
}

std::int64_t non_negative_integer(const json::object& o, std::string_view name) {
  const auto* v = field(o, name);
  if (!v) invalid(std::string(name) + " is required");
  if (v->is_int64() && v->as_int64() >= 0) return v->as_int64();
  if (v->is_uint64() && v->as_uint64() <= static_cast<std::uint64_t>(INT64_MAX))
    return static_cast<std::int64_t>(v->as_uint64());
  invalid(std::string(name) + " must be a non-negative integer");
}

const json::array* optional_array(const json::object& o, std::string_view name, std::size_t max) {
  const auto* v = field(o, name);
  if (!v) return nullptr;
  if (!v->is_array()) invalid(std::string(name) + " must be an array");
  if (v->as_array().size() > max) invalid(std::string(name) + " has more than " + std::to_string(max) + " items");
  return &v->as_array();
}

const json::object& object_in(const json::array& a, std::size_t i, const std::string& where) {
  if (!a[i].is_object()) invalid(where + " must be an object");
  return a[i].as_object();
}

// A list of distinct provider ids (markets or outcomes).
std::vector<std::string> id_list(const json::object& o, std::string_view name, std::size_t max) {
  std::vector<std::string> ids;
  std::set<std::string> seen;
  if (const auto* list = optional_array(o, name, max))
    for (std::size_t i = 0; i < list->size(); ++i) {
      auto id = id_at(&(*list)[i], std::string(name) + "[" + std::to_string(i) + "]");
      if (!seen.insert(id).second) invalid(std::string(name) + " names " + id + " twice");
      ids.push_back(std::move(id));
    }
  return ids;
}

std::optional<EventStatus> fixture_status(std::string_view text) {
  if (text == "not_started") return EventStatus::scheduled;
  if (text == "live") return EventStatus::live;
  if (text == "ended" || text == "closed") return EventStatus::finished;
  return std::nullopt;
}

Fixture fixture_of(const json::object& o) {
  Fixture f;
  if (const auto* sport = field(o, "sport")) {
    if (!sport->is_string() || !find_sport(sport->as_string())) invalid("sport is not a sport we offer");
    f.sport = std::string(sport->as_string());
  }
  f.name = optional_name(o, "name", "name");
  f.home = optional_name(o, "home", "home");
  f.away = optional_name(o, "away", "away");
  if (const auto* start = field(o, "start_time")) {
    if (!start->is_string()) invalid("start_time must be an RFC 3339 time");
    f.starts_at = parse_rfc3339(start->as_string());
    if (!f.starts_at) invalid("start_time must be an RFC 3339 time");
  }
  if (const auto* status = field(o, "status")) {
    if (!status->is_string()) invalid("status must be not_started, live, ended or closed");
    f.status = fixture_status(status->as_string());
    if (!f.status) invalid("status must be not_started, live, ended or closed");
  }
  return f;
}

OutcomeOdds outcome_of(const json::object& o, const std::string& where) {
  OutcomeOdds out;
  out.id = id_at(field(o, "id"), where + ".id");
  out.name = optional_name(o, "name", where + ".name");
  if (const auto* odds = field(o, "odds")) {
    // A decimal string: a JSON number would invite binary floating point.
    if (!odds->is_string()) invalid(where + ".odds must be a decimal string such as \"1.85\"");
    out.odds = parse_odds(odds->as_string());
    if (!out.odds) invalid(where + ".odds must be from 1.01 to 1000 with at most 3 decimals");
  }
  return out;
}

MarketOdds market_odds_of(const json::object& o, const std::string& where) {
  MarketOdds m;
  m.id = id_at(field(o, "id"), where + ".id");
  m.name = optional_name(o, "name", where + ".name");
  if (const auto* status = field(o, "status")) {
    const auto parsed = status->is_string() ? parse_feed_market_status(status->as_string()) : std::nullopt;
    if (!parsed) invalid(where + ".status must be active, suspended or deactivated");
    m.status = *parsed;
  }
  std::set<std::string> seen;
  if (const auto* outcomes = optional_array(o, "outcomes", kMaxOutcomesPerMarket))
    for (std::size_t i = 0; i < outcomes->size(); ++i) {
      const auto at = where + ".outcomes[" + std::to_string(i) + "]";
      auto outcome = outcome_of(object_in(*outcomes, i, at), at);
      if (!seen.insert(outcome.id).second) invalid(at + ".id repeats another outcome");
      m.outcomes.push_back(std::move(outcome));
    }
  return m;
}

OddsChange odds_change_of(const json::object& o) {
  OddsChange change;
  std::set<std::string> seen;
  if (const auto* markets = optional_array(o, "markets", kMaxMarketsPerMessage))
    for (std::size_t i = 0; i < markets->size(); ++i) {
      const auto at = "markets[" + std::to_string(i) + "]";
      auto market = market_odds_of(object_in(*markets, i, at), at);
      if (!seen.insert(market.id).second) invalid(at + ".id repeats another market");
      change.markets.push_back(std::move(market));
    }
  return change;
}

BetSettlement settlement_of(const json::object& o) {
  BetSettlement s;
  const auto* markets = optional_array(o, "markets", kMaxMarketsPerMessage);
  if (!markets || markets->empty()) invalid("markets is required");
  std::set<std::string> seen;
  for (std::size_t i = 0; i < markets->size(); ++i) {
    const auto at = "markets[" + std::to_string(i) + "]";
    const auto& m = object_in(*markets, i, at);
    MarketResult r;
    r.id = id_at(field(m, "id"), at + ".id");
    if (!seen.insert(r.id).second) invalid(at + ".id repeats another market");
    r.winning = id_list(m, "winning", kMaxOutcomesPerMarket);
    r.void_ = id_list(m, "void", kMaxOutcomesPerMarket);
    for (const auto& id : r.winning)
      if (std::find(r.void_.begin(), r.void_.end(), id) != r.void_.end())
        invalid(at + " names outcome " + id + " both winning and void");
    s.markets.push_back(std::move(r));
  }
  return s;
}

Body body_of(MessageType type, const json::object& o) {
  switch (type) {
    case MessageType::fixture_change:
      return fixture_of(o);
    case MessageType::odds_change:
      return odds_change_of(o);
    case MessageType::bet_stop:
      return BetStop{id_list(o, "markets", kMaxMarketsPerMessage)};
    case MessageType::bet_settlement:
      return settlement_of(o);
    case MessageType::bet_cancel:
      return BetCancel{id_list(o, "markets", kMaxMarketsPerMessage)};
    case MessageType::rollback_bet_settlement: {
      auto markets = id_list(o, "markets", kMaxMarketsPerMessage);
      if (markets.empty()) invalid("markets is required");
      return RollbackSettlement{std::move(markets)};
    }
  }
  invalid("unknown type");
}

Message message_of(const json::value& v, std::size_t index) {
  if (!v.is_object()) invalid("a message must be an object");
  const auto& o = v.as_object();
  Message m;
  m.index = index;
  const auto* type = field(o, "type");
  const auto parsed = type && type->is_string() ? parse_message_type(type->as_string()) : std::nullopt;
  if (!parsed)
    invalid(
        "type must be fixture_change, odds_change, bet_stop, bet_settlement, bet_cancel or rollback_bet_settlement");
  m.type = *parsed;
  m.event_id = id_at(field(o, "event_id"), "event_id");
  m.timestamp = non_negative_integer(o, "timestamp");
  m.sequence = non_negative_integer(o, "sequence");
  m.body = body_of(m.type, o);
  return m;
}

}  // namespace

Batch parse_batch(std::string_view body, std::size_t max_messages) {
  boost::system::error_code ec;
  const auto doc = json::parse(body, ec);
  if (ec || !doc.is_object()) throw Error::malformed("malformed_body", "The body is not a JSON object");
  const auto* messages = doc.as_object().if_contains("messages");
  if (!messages || !messages->is_array())
    throw Error::validation("The body must be {\"messages\": [...]}").detail("messages", "must be an array");
  const auto& list = messages->as_array();
  if (list.size() > max_messages)
    throw Error::validation("Too many messages in one batch")
        .detail("messages", "must have at most " + std::to_string(max_messages) + " messages");
  Batch batch;
  for (std::size_t i = 0; i < list.size(); ++i) {
    try {
      batch.messages.push_back(message_of(list[i], i));
    } catch (const Invalid& bad) {
      batch.rejected.push_back(Rejection{i, bad.reason});
    }
  }
  return batch;
}

SequenceVerdict judge_sequence(std::optional<std::int64_t> last_applied, std::int64_t sequence) {
  if (!last_applied) return SequenceVerdict::apply;
  if (sequence <= *last_applied) return SequenceVerdict::duplicate;
  if (sequence == *last_applied + 1) return SequenceVerdict::apply;
  return SequenceVerdict::gap;
}

std::vector<EventMessages> by_event(std::vector<Message> messages) {
  std::vector<EventMessages> events;
  std::unordered_map<std::string, std::size_t> position;
  for (auto& m : messages) {
    const auto [it, added] = position.try_emplace(m.event_id, events.size());
    if (added) events.push_back(EventMessages{m.event_id, {}});
    events[it->second].messages.push_back(std::move(m));
  }
  for (auto& e : events)
    std::stable_sort(e.messages.begin(), e.messages.end(),
                     [](const Message& a, const Message& b) { return a.sequence < b.sequence; });
  return events;
}

}  // namespace b2w::domain::feed
