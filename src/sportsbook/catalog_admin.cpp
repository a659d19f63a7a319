#include "sportsbook/catalog_admin.hpp"

#include <exception>
#include <optional>
#include <type_traits>

#include "domain/error.hpp"

namespace b2w::sportsbook {

template <typename Change>
auto CatalogAdmin::publish(Change change) -> decltype(change()) {
  using T = typename decltype(change())::value_type;
  std::optional<std::conditional_t<std::is_void_v<T>, bool, T>> changed;
  std::exception_ptr failed;
  try {
    if constexpr (std::is_void_v<T>) {
      co_await change();
      changed = true;
    } else {
      changed = co_await change();
    }
  } catch (...) {
    failed = std::current_exception();  // no co_await in a handler: the invalidation comes after it
  }
  co_await cache_.invalidate();
  if (failed) std::rethrow_exception(failed);
  if constexpr (!std::is_void_v<T>) co_return std::move(*changed);
}

Awaitable<Event> CatalogAdmin::create_event(NewEvent event, domain::Actor actor) {
  co_return co_await publish([&] { return catalog_.create_event(std::move(event), std::move(actor)); });
}

Awaitable<Event> CatalogAdmin::update_event(std::string id, EventChange change, domain::Actor actor) {
  const auto event = co_await publish([&] { return cancel_or_change(id, change, actor); });
  if (changes_) co_await changes_->event_changed(event);
  if (event.status != domain::EventStatus::cancelled) co_return event;
  // The catalogue is final (published); what is left changes bets only: settle every market of the
  // event, the ones voided now and any whose settlement an interruption left unfinished.
  for (const auto& m : event.markets) co_await settlement_.resolve(m.id);
  auto fresh = co_await catalog_.find_event(id);
  if (!fresh) throw domain::Error::not_found("No event with this id");
  co_return std::move(*fresh);
}

// The change; a cancellation also voids the event's markets that are not settled yet.
// (Reference parameters: its one caller awaits it in the same full expression.)
Awaitable<Event> CatalogAdmin::cancel_or_change(const std::string& id, const EventChange& change,
                                                const domain::Actor& actor) {
  auto event = co_await catalog_.update_event(id, change, actor);
  if (event.status != domain::EventStatus::cancelled) co_return event;
  const auto open_markets = co_await catalog_.open_market_ids(id);
  for (const auto& market_id : open_markets) {
    SettleRequest void_all;
    void_all.void_market = true;
    co_await settlement_.record_results(market_id, std::move(void_all), actor);
  }
  co_return event;
}

Awaitable<Market> CatalogAdmin::create_market(std::string event_id, NewMarket market, domain::Actor actor) {
  co_return co_await publish(
      [&] { return catalog_.create_market(std::move(event_id), std::move(market), std::move(actor)); });
}

Awaitable<Market> CatalogAdmin::update_market(std::string id, MarketChange change, domain::Actor actor) {
  const bool odds = !change.odds.empty();
  auto market =
      co_await publish([&] { return catalog_.update_market(std::move(id), std::move(change), std::move(actor)); });
  if (changes_) co_await changes_->market_changed(market, odds);
  co_return market;
}

Awaitable<Settled> CatalogAdmin::settle_market(std::string id, SettleRequest request, domain::Actor actor) {
  co_await publish([&] { return settlement_.record_results(id, std::move(request), std::move(actor)); });
  auto settled = co_await settlement_.resolve(id);
  if (changes_) co_await changes_->market_changed(settled.market, false);
  co_return settled;
}

}  // namespace b2w::sportsbook
