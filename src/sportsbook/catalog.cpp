#include "sportsbook/catalog.hpp"

#include <array>
#include <set>

#include "domain/error.hpp"
#include "store/audit.hpp"
#include "util/ids.hpp"

namespace b2w::sportsbook {

using domain::Error;
using domain::ErrorKind;
using store::CatalogRepository;
using store::Tx;

namespace {

Event new_event(NewEvent e) {
  Event event;
  event.id = new_id("evt");
  event.sport = std::move(e.sport);
  event.name = std::move(e.name);
  event.home = std::move(e.home);
  event.away = std::move(e.away);
  event.starts_at = e.starts_at;
  event.status = domain::EventStatus::scheduled;
  return event;
}

Market new_market(std::string event_id, NewMarket m) {
  Market market;
  market.id = new_id("mkt");
  market.event_id = std::move(event_id);
  market.name = std::move(m.name);
  market.status = domain::MarketStatus::open;
  market.version = 1;
  for (auto& [name, odds] : m.selections)
    market.selections.push_back(Selection{new_id("sel"), std::move(name), odds, std::nullopt});
  return market;
}

Error event_not_found() {
  return Error::not_found("No event with this id");
}
Error market_not_found() {
  return Error::not_found("No market with this id");
}

std::string name_of(domain::EventStatus s) {
  return std::string(domain::to_string(s));
}

// (A plain function: GCC 12 miscompiles braced lists written inside coroutines.)
template <typename T, std::size_t N>
std::vector<T> all_of(const std::array<T, N>& values) {
  return std::vector<T>(values.begin(), values.end());
}

// The rules of an event's change: a move its status allows; no new start time once it is over.
void check_event_change(const Event& event, const EventChange& change) {
  if (change.status && !domain::event_transition_allowed(event.status, *change.status))
    throw Error(ErrorKind::conflict, "invalid_transition",
                "An event that is " + name_of(event.status) + " cannot become " + name_of(*change.status));
  if (change.starts_at && domain::event_is_over(event.status))
    throw Error(ErrorKind::conflict, "event_closed", "A " + name_of(event.status) + " event cannot be rescheduled");
}

// Every selection whose odds change must belong to the market; 422 naming each one that does not.
void check_selections_known(const Market& market, const MarketChange& change) {
  std::set<std::string> known;
  for (const auto& s : market.selections) known.insert(s.id);
  auto invalid = Error::validation("Every selection must belong to this market");
  bool bad = false;
  for (std::size_t i = 0; i < change.odds.size(); ++i)
    if (!known.count(change.odds[i].first)) {
      invalid.detail("selections[" + std::to_string(i) + "].id", "is not a selection of this market");
      bad = true;
    }
  if (bad) throw invalid;
}

}  // namespace

Awaitable<Event> Catalog::create_event(NewEvent e, domain::Actor actor) {
  auto event = new_event(std::move(e));
  co_await store::transaction(db_, [&](Tx& tx) -> Awaitable<void> {
    co_await CatalogRepository::insert_event(tx, event, store::now_micros());
    co_await store::AuditRepository::append(tx, event_created(actor, event));
  });
  co_return event;
}

Awaitable<Event> Catalog::update_event(std::string id, EventChange change, domain::Actor actor) {
  co_return co_await store::transaction(db_, [&](Tx& tx) -> Awaitable<Event> {
    auto locked = co_await CatalogRepository::lock_event(tx, id);
    if (!locked) throw event_not_found();
    auto event = *locked;
    check_event_change(event, change);
    if (change.status) event.status = *change.status;
    if (change.starts_at) event.starts_at = *change.starts_at;
    co_await CatalogRepository::update_event(tx, event, store::now_micros());
    co_await store::AuditRepository::append(tx, event_changed(actor, *locked, event));
    event.markets = co_await CatalogRepository::markets_of_event(tx, id);
    co_return event;
  });
}

Awaitable<Market> Catalog::create_market(std::string event_id, NewMarket m, domain::Actor actor) {
  co_return co_await store::transaction(db_, [&](Tx& tx) -> Awaitable<Market> {
    // The event row is locked so a market is never added to an event being closed.
    const auto event = co_await CatalogRepository::lock_event(tx, event_id);
    if (!event) throw event_not_found();
    if (domain::event_is_over(event->status))
      throw Error(ErrorKind::conflict, "event_closed",
                  "Markets cannot be added to a " + name_of(event->status) + " event");
    auto market = new_market(event_id, m);
    co_await CatalogRepository::insert_market(tx, market, store::now_micros());
    co_await store::AuditRepository::append(tx, market_created(actor, market));
    co_return market;
  });
}

Awaitable<Market> Catalog::update_market(std::string id, MarketChange change, domain::Actor actor) {
  co_return co_await store::transaction(db_, [&](Tx& tx) -> Awaitable<Market> {
    // Locking the market row first orders this change against bet placements (which share-lock it).
    const auto status = co_await CatalogRepository::lock_market(tx, id);
    if (!status) throw market_not_found();
    if (domain::market_is_final(*status))
      throw Error(ErrorKind::conflict, "market_settled",
                  "A " + std::string(domain::to_string(*status)) + " market cannot be changed");
    const auto current = co_await CatalogRepository::market(tx, id);
    check_selections_known(current.value(), change);
    const auto now = store::now_micros();
    for (const auto& [selection_id, odds] : change.odds) co_await CatalogRepository::set_odds(tx, selection_id, odds);
    co_await CatalogRepository::set_market_status(tx, id, change.status.value_or(*status), now);
    auto after = co_await CatalogRepository::market(tx, id);
    co_await store::AuditRepository::append(tx, market_changed(actor, current.value(), after.value()));
    co_return std::move(after.value());
  });
}

Awaitable<std::optional<Event>> Catalog::find_event(std::string id) {
  co_return co_await catalog_.find_event(std::move(id));
}

Awaitable<std::optional<Market>> Catalog::find_market(std::string id) {
  co_return co_await catalog_.find_market(std::move(id));
}

Awaitable<store::MarketLiability> Catalog::liability(std::string market_id) {
  const auto market = co_await catalog_.find_market(market_id);
  if (!market) throw domain::Error::not_found("No market with this id");
  store::BetRepository bets(db_);
  co_return co_await bets.market_liability(std::move(market_id));
}

Awaitable<std::vector<Event>> Catalog::list_events(EventFilter filter) {
  co_return co_await catalog_.list_events(std::move(filter));
}

Awaitable<std::vector<SportCount>> Catalog::sport_counts() {
  co_return co_await catalog_.sport_counts(all_of(domain::kCurrentEventStatuses));
}

Awaitable<std::vector<std::string>> Catalog::open_market_ids(std::string event_id) {
  co_return co_await catalog_.market_ids(std::move(event_id), all_of(domain::kUnsettledMarketStatuses));
}

}  // namespace b2w::sportsbook
