#include "sportsbook/feed.hpp"

#include <algorithm>
#include <exception>
#include <map>
#include <optional>

#include "domain/error.hpp"
#include "observability/log.hpp"
#include "observability/metrics.hpp"
#include "store/audit.hpp"
#include "util/digest.hpp"
#include "util/ids.hpp"

namespace b2w::sportsbook {

using domain::Error;
using domain::ErrorKind;
using domain::feed::Message;
using domain::feed::MessageType;
using domain::feed::Rejection;
using domain::feed::SequenceVerdict;
using store::FeedMarket;
using store::FeedRepository;
using store::Tx;

// A batch's progress: its counts, the markets whose bets are settled once the batch is applied, and what it
// changed in the catalogue (told to the listener once committed).
struct Feed::Work {
  FeedReport& report;
  std::vector<std::string>& to_resolve;
  CatalogueChanges& changes;
};

namespace {

using Reason = std::optional<std::string>;  // a message's rejection, or nothing when it applies

domain::Actor feed_actor(const std::string& provider) {
  return domain::Actor{"feed:" + provider, "feed", ""};
}

std::string status_name(domain::EventStatus s) {
  return std::string(domain::to_string(s));
}

// An event's state inside a catalogue transaction, read once and kept up to date by the messages applied.
struct EventState {
  const std::string& provider;
  const std::string& provider_event_id;
  std::optional<store::FeedEvent> feed;  // none until a fixture_change creates the event
  std::optional<std::vector<FeedMarket>> markets;
  bool sequence_moved = false;
  CatalogueChanges changes;  // what the run wrote
};

// What a run of catalogue messages did; merged into the report once its transaction commits (a retried
// transaction starts over).
struct RunResult {
  CatalogueChanges changes;
  std::int64_t applied = 0;
  std::int64_t duplicates = 0;
  std::vector<Rejection> rejected;
  struct Gap {
    std::string event_id;
    std::int64_t last;
    std::int64_t sequence;
  };
  std::vector<Gap> gaps;
};

template <typename Markets>  // std::vector<FeedMarket>, const or not
auto find_market(Markets& markets, const std::string& provider_market_id) -> decltype(&markets.front()) {
  for (auto& m : markets)
    if (m.provider_market_id == provider_market_id) return &m;
  return nullptr;
}

const std::string* find_selection(const FeedMarket& market, const std::string& outcome) {
  for (const auto& [provider_outcome, selection] : market.outcomes)
    if (provider_outcome == outcome) return &selection;
  return nullptr;
}

Awaitable<std::vector<FeedMarket>*> markets_of(Tx& tx, EventState& state) {
  if (!state.markets)
    state.markets = co_await FeedRepository::lock_markets(tx, state.provider, state.provider_event_id);
  co_return &*state.markets;
}

// Marks the event's markets in play (or not) to follow its status.
Awaitable<void> follow_event_status(Tx& tx, EventState& state, std::int64_t now) {
  const bool live = state.feed->event.status == domain::EventStatus::live;
  auto* markets = co_await markets_of(tx, state);
  std::vector<store::MarketWrite> writes;
  for (auto& m : *markets)
    if (!domain::market_is_final(m.status) && m.live != live) {
      m.live = live;
      writes.push_back(store::MarketWrite{m.market_id, m.status, live});
      state.changes.market(m.market_id, false);
    }
  co_await FeedRepository::write_markets(tx, writes, now);
}

Reason fixture_problem(const store::Event& event, const domain::feed::Fixture& f) {
  if (f.status && !domain::event_transition_allowed(event.status, *f.status))
    return "an event that is " + status_name(event.status) + " cannot become " + status_name(*f.status);
  if (f.starts_at && *f.starts_at != event.starts_at && domain::event_is_over(event.status))
    return "a " + status_name(event.status) + " event cannot be rescheduled";
  return std::nullopt;
}

Awaitable<Reason> apply_fixture(Tx& tx, EventState& state, const Message& message, std::int64_t now) {
  const auto& f = std::get<domain::feed::Fixture>(message.body);
  const auto actor = feed_actor(state.provider);
  if (!state.feed) {
    if (!f.sport || !f.home || !f.away || !f.starts_at)
      co_return Reason("a new event needs sport, home, away and start_time");
    store::FeedEvent created;
    auto& e = created.event;
    e.id = new_id("evt");
    e.sport = *f.sport;
    e.home = *f.home;
    e.away = *f.away;
    e.name = f.name.value_or(*f.home + " vs " + *f.away);
    e.starts_at = *f.starts_at;
    e.status = f.status.value_or(domain::EventStatus::scheduled);
    created.last_sequence = message.sequence;
    created.last_timestamp = message.timestamp;
    co_await store::CatalogRepository::insert_event(tx, e, now);
    co_await FeedRepository::insert_event(tx, state.provider, state.provider_event_id, e.id, message.sequence,
                                          message.timestamp, now);
    co_await store::AuditRepository::append(tx, event_created(actor, e));
    state.changes.events.insert(e.id);
    state.feed = std::move(created);
    state.markets.emplace();  // a new event has no markets
    co_return std::nullopt;
  }
  const auto before = state.feed->event;
  if (auto problem = fixture_problem(before, f)) co_return problem;
  auto& e = state.feed->event;
  if (f.sport) e.sport = *f.sport;
  if (f.name) e.name = *f.name;
  if (f.home) e.home = *f.home;
  if (f.away) e.away = *f.away;
  if (f.starts_at) e.starts_at = *f.starts_at;
  if (f.status) e.status = *f.status;
  if (e.sport == before.sport && e.name == before.name && e.home == before.home && e.away == before.away &&
      e.starts_at == before.starts_at && e.status == before.status)
    co_return std::nullopt;  // nothing new
  co_await FeedRepository::update_event(tx, e, now);
  co_await store::AuditRepository::append(tx, event_changed(actor, before, e));
  state.changes.events.insert(e.id);
  if (e.status != before.status) co_await follow_event_status(tx, state, now);
  co_return std::nullopt;
}

// A market the feed creates: a name and at least two outcomes, each with a name and odds.
Reason new_market_problem(const domain::feed::MarketOdds& m) {
  if (!m.name) return "market " + m.id + " is new: it needs a name";
  if (m.outcomes.size() < 2) return "market " + m.id + " is new: it needs at least 2 outcomes";
  for (const auto& o : m.outcomes)
    if (!o.name || !o.odds) return "market " + m.id + " is new: outcome " + o.id + " needs a name and odds";
  return std::nullopt;
}

Awaitable<Reason> apply_odds(Tx& tx, EventState& state, const Message& message, std::int64_t now) {
  const auto& change = std::get<domain::feed::OddsChange>(message.body);
  const auto& event = state.feed->event;
  if (domain::event_is_over(event.status)) co_return Reason("the event is " + status_name(event.status));
  const bool live = event.status == domain::EventStatus::live;
  auto* markets = co_await markets_of(tx, state);
  // Everything is checked before anything is written: a message applies whole or not at all.
  std::vector<store::MarketWrite> writes;
  std::vector<std::pair<std::string, domain::Odds>> odds;
  std::vector<store::Market> created;
  std::vector<FeedMarket> mapped;
  std::vector<bool> moved;  // per write: whether the message priced any of its outcomes
  for (const auto& m : change.markets) {
    const auto* known = find_market(*markets, m.id);
    if (!known) {
      if (auto problem = new_market_problem(m)) co_return problem;
      store::Market market;
      market.id = new_id("mkt");
      market.event_id = event.id;
      market.name = *m.name;
      market.status = domain::feed::to_market_status(m.status);
      market.version = 1;
      market.live = live;
      FeedMarket map{m.id, market.id, market.status, live, {}};
      for (const auto& o : m.outcomes) {
        market.selections.push_back(store::Selection{new_id("sel"), *o.name, *o.odds, std::nullopt});
        map.outcomes.emplace_back(o.id, market.selections.back().id);
      }
      created.push_back(std::move(market));
      mapped.push_back(std::move(map));
      continue;
    }
    if (domain::market_is_final(known->status)) continue;  // settled or void: nothing changes it any more
    const auto odds_before = odds.size();
    for (const auto& o : m.outcomes) {
      const auto* selection = find_selection(*known, o.id);
      if (!selection) co_return Reason("market " + m.id + " has no outcome " + o.id);
      if (o.odds) odds.emplace_back(*selection, *o.odds);
    }
    writes.push_back(store::MarketWrite{known->market_id, domain::feed::to_market_status(m.status), live});
    moved.push_back(odds.size() > odds_before);
  }
  // The markets' rows are locked (markets_of): bumping their versions before the odds keeps the order
  // admin changes follow.
  co_await FeedRepository::write_markets(tx, writes, now);
  co_await FeedRepository::set_odds(tx, odds);
  const auto actor = feed_actor(state.provider);
  for (std::size_t i = 0; i < created.size(); ++i) {
    // A microsecond apart: markets list in creation order, so these keep the message's order.
    const auto created_at = now + static_cast<std::int64_t>(i);
    co_await store::CatalogRepository::insert_market(tx, created[i], created_at);
    co_await FeedRepository::map_market(tx, state.provider, state.provider_event_id, mapped[i]);
    co_await store::AuditRepository::append(tx, market_created(actor, created[i]));
  }
  for (const auto& w : writes)
    for (auto& m : *markets)
      if (m.market_id == w.market_id) m.status = w.status;
  for (auto& m : mapped) markets->push_back(std::move(m));
  for (std::size_t i = 0; i < writes.size(); ++i) state.changes.market(writes[i].market_id, moved[i]);
  for (const auto& m : created) state.changes.market(m.id, true);
  co_return std::nullopt;
}

Awaitable<Reason> apply_bet_stop(Tx& tx, EventState& state, const Message& message, std::int64_t now) {
  const auto& stop = std::get<domain::feed::BetStop>(message.body);
  auto* markets = co_await markets_of(tx, state);
  std::vector<store::MarketWrite> writes;
  for (auto& m : *markets) {
    const bool named = stop.markets.empty() ||
                       std::find(stop.markets.begin(), stop.markets.end(), m.provider_market_id) != stop.markets.end();
    if (!named || m.status != domain::MarketStatus::open) continue;  // markets we do not have are ignored
    m.status = domain::MarketStatus::suspended;
    writes.push_back(store::MarketWrite{m.market_id, m.status, m.live});
    state.changes.market(m.market_id, false);
  }
  co_await FeedRepository::write_markets(tx, writes, now);
  co_return std::nullopt;
}

Awaitable<Reason> apply_catalogue_message(Tx& tx, EventState& state, const Message& message, std::int64_t now) {
  if (message.type == MessageType::fixture_change) co_return co_await apply_fixture(tx, state, message, now);
  if (!state.feed) co_return Reason("unknown event: a fixture_change must create it first");
  if (message.type == MessageType::odds_change) co_return co_await apply_odds(tx, state, message, now);
  co_return co_await apply_bet_stop(tx, state, message, now);
}

// One event's run of catalogue messages, in the caller's transaction.
Awaitable<void> apply_run(Tx& tx, const std::string& provider, const std::vector<Message>& run, RunResult& result) {
  EventState state{provider, run.front().event_id, std::nullopt, std::nullopt, false, {}};
  const bool changes_markets =
      std::any_of(run.begin(), run.end(), [](const Message& m) { return m.type != MessageType::fixture_change; });
  if (changes_markets) {
    // The event's row first, then its markets' (the order every run takes), in one round trip.
    auto locked = co_await FeedRepository::lock_event_and_markets(tx, provider, state.provider_event_id);
    state.feed = std::move(locked.first);
    if (state.feed) state.markets = std::move(locked.second);
  } else {
    state.feed = co_await FeedRepository::lock_event(tx, provider, state.provider_event_id);
  }
  const auto now = store::now_micros();
  for (const auto& message : run) {
    const auto last = state.feed ? std::optional<std::int64_t>(state.feed->last_sequence) : std::nullopt;
    const auto verdict = domain::feed::judge_sequence(last, message.sequence);
    if (verdict == SequenceVerdict::duplicate) {
      ++result.duplicates;
      continue;
    }
    const bool existed = state.feed.has_value();
    auto problem = co_await apply_catalogue_message(tx, state, message, now);
    if (problem) {
      result.rejected.push_back(Rejection{message.index, std::move(*problem)});
      continue;
    }
    ++result.applied;
    if (verdict == SequenceVerdict::gap) result.gaps.push_back({message.event_id, *last, message.sequence});
    if (existed) {
      state.feed->last_sequence = message.sequence;
      state.feed->last_timestamp = message.timestamp;
      state.sequence_moved = true;
    }
  }
  if (state.sequence_moved)
    co_await FeedRepository::record_sequence(tx, provider, state.provider_event_id, state.feed->last_sequence,
                                             state.feed->last_timestamp, now);
  result.changes = std::move(state.changes);
}

// The message's markets, or every one of the event's when it names none; a name we do not know rejects it.
std::variant<std::vector<const FeedMarket*>, std::string> named_markets(const std::vector<FeedMarket>& markets,
                                                                        const std::vector<std::string>& names) {
  std::vector<const FeedMarket*> out;
  if (names.empty()) {
    for (const auto& m : markets) out.push_back(&m);
    return out;
  }
  for (const auto& name : names) {
    const auto it =
        std::find_if(markets.begin(), markets.end(), [&](const FeedMarket& m) { return m.provider_market_id == name; });
    if (it == markets.end()) return "unknown market " + name;
    out.push_back(&*it);
  }
  return out;
}

// The settlement request of a bet_settlement market result; a reason when it names an outcome we do not have.
std::variant<SettleRequest, std::string> settle_request(const FeedMarket& market,
                                                        const domain::feed::MarketResult& result) {
  SettleRequest request;
  for (const auto& [outcome, selection] : market.outcomes) request.results[selection] = "lost";
  for (const auto& [ids, verdict] : {std::pair{&result.winning, "won"}, std::pair{&result.void_, "void"}})
    for (const auto& id : *ids) {
      const auto* selection = find_selection(market, id);
      if (!selection) return "market " + market.provider_market_id + " has no outcome " + id;
      request.results[*selection] = verdict;
    }
  return request;
}

void add_run(FeedReport& report, RunResult run, const std::string& provider) {
  report.applied += run.applied;
  report.duplicates += run.duplicates;
  for (const auto& gap : run.gaps) {
    ++report.gaps;
    log::warn("feed sequence gap: messages missed, the next one applied")
        .str("provider", provider)
        .str("event", gap.event_id)
        .num("last_applied", gap.last)
        .num("sequence", gap.sequence);
  }
  for (auto& r : run.rejected) report.rejected.push_back(std::move(r));
}

// The leading run of catalogue messages, and the first settling message's position.
std::size_t catalogue_prefix(const std::vector<Message>& messages) {
  std::size_t n = 0;
  while (n < messages.size() && domain::feed::changes_catalogue_only(messages[n].type)) ++n;
  return n;
}

}  // namespace

void CatalogueChanges::market(const std::string& id, bool odds_moved) {
  markets[id] = markets[id] || odds_moved;
}

void CatalogueChanges::merge(const CatalogueChanges& other) {
  for (const auto& [id, odds_moved] : other.markets) market(id, odds_moved);
  events.insert(other.events.begin(), other.events.end());
}

Feed::Feed(store::Database& db, Settlement& settlement, CatalogCache& cache, FeedOptions options,
           ChangeListener* changes)
    : db_(db),
      feed_(db),
      catalog_(db),
      settlement_(settlement),
      cache_(cache),
      options_(std::move(options)),
      changes_(changes) {}

// The committed changes, read back whole (one query for the markets, as the API shows them) for the listener.
Awaitable<void> Feed::tell_listener(CatalogueChanges changes) {
  if (!changes_ || (changes.markets.empty() && changes.events.empty())) co_return;
  try {
    for (const auto& id : changes.events) {
      const auto event = co_await catalog_.find_event(id);
      if (event) co_await changes_->event_changed(*event);
    }
    // In chunks: a batch may touch more markets than a statement takes parameters.
    constexpr std::size_t kChunk = 500;
    std::vector<std::string> ids;
    for (auto it = changes.markets.begin(); it != changes.markets.end();) {
      ids.clear();
      for (; it != changes.markets.end() && ids.size() < kChunk; ++it) ids.push_back(it->first);
      const auto markets = co_await catalog_.find_markets(ids);
      for (const auto& market : markets) co_await changes_->market_changed(market, changes.markets.at(market.id));
    }
  } catch (const std::exception& e) {
    // The changes stand; clients that missed them see the next version (or refetch on a sequence gap).
    log::warn("feed changes not told to the live push").str("error", e.what());
  }
}

bool Feed::signature_valid(std::string_view body, std::string_view signature_hex) const {
  if (!enabled() || signature_hex.size() != 64) return false;
  std::string given(signature_hex);
  for (auto& c : given) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return constant_time_equal(to_hex(hmac_sha256(options_.hmac_secret, body)), given);
}

Awaitable<FeedReport> Feed::receive(std::string body, std::string signature) {
  if (!enabled()) throw Error(ErrorKind::not_found, "feed_disabled", "The trading feed is not configured");
  if (!signature_valid(body, signature))
    throw Error(ErrorKind::unauthenticated, "invalid_signature",
                "X-Feed-Signature must be the hex HMAC-SHA-256 of the body with the feed's secret");
  auto batch = domain::feed::parse_batch(body, options_.max_batch);
  FeedReport report;
  report.rejected = std::move(batch.rejected);
  batch.rejected.clear();
  std::vector<std::string> to_resolve;
  CatalogueChanges changes;
  std::exception_ptr failed;
  try {
    co_await apply(std::move(batch), report, to_resolve, changes);
  } catch (...) {
    failed = std::current_exception();  // no co_await in a handler: the invalidation comes after it
  }
  // As after an admin change, also after a failure (part of the batch may have committed).
  co_await cache_.invalidate();
  co_await tell_listener(std::move(changes));
  if (failed) std::rethrow_exception(failed);
  // The results are recorded and published: now the bets (bounded batches, each its own transaction; the
  // settlement resumer finishes what a crash interrupts).
  for (const auto& market_id : to_resolve) co_await settlement_.resolve(market_id);
  std::sort(report.rejected.begin(), report.rejected.end(),
            [](const Rejection& a, const Rejection& b) { return a.index < b.index; });
  metrics::add(metrics::Counter::feed_messages_applied, report.applied);
  metrics::add(metrics::Counter::feed_duplicates, report.duplicates);
  metrics::add(metrics::Counter::feed_gaps, report.gaps);
  metrics::add(metrics::Counter::feed_rejected, static_cast<std::int64_t>(report.rejected.size()));
  co_return report;
}

Awaitable<void> Feed::apply(domain::feed::Batch batch, FeedReport& report, std::vector<std::string>& to_resolve,
                            CatalogueChanges& changes) {
  Work work{report, to_resolve, changes};
  auto events = domain::feed::by_event(std::move(batch.messages));
  // Each event: its catalogue messages in runs (one transaction each), its settling messages one by one
  // between them, in sequence order. With one transaction per batch, every event's leading run shares one.
  std::vector<std::size_t> done(events.size(), 0);
  if (options_.one_transaction_per_batch) {
    std::vector<std::vector<Message>> leading(events.size());
    for (std::size_t i = 0; i < events.size(); ++i) {
      auto& messages = events[i].messages;
      done[i] = catalogue_prefix(messages);
      leading[i].assign(messages.begin(), messages.begin() + static_cast<std::ptrdiff_t>(done[i]));
    }
    std::vector<const std::vector<Message>*> runs;
    for (const auto& run : leading)
      if (!run.empty()) runs.push_back(&run);
    // Locks are taken in one order (by provider event id), so two batches cannot deadlock on them.
    std::sort(runs.begin(), runs.end(),
              [](const auto* a, const auto* b) { return a->front().event_id < b->front().event_id; });
    co_await apply_catalogue_runs(std::move(runs), work);
  }
  for (std::size_t i = 0; i < events.size(); ++i) {
    const auto& messages = events[i].messages;
    std::size_t at = done[i];
    while (at < messages.size()) {
      if (!domain::feed::changes_catalogue_only(messages[at].type)) {
        co_await apply_settling(messages[at], work);
        ++at;
        continue;
      }
      std::vector<Message> run;
      while (at < messages.size() && domain::feed::changes_catalogue_only(messages[at].type))
        run.push_back(messages[at++]);
      std::vector<const std::vector<Message>*> one{&run};
      co_await apply_catalogue_runs(std::move(one), work);
    }
  }
}

Awaitable<void> Feed::apply_catalogue_runs(std::vector<const std::vector<Message>*> runs, Work& work) {
  if (runs.empty()) co_return;
  const auto& provider = options_.provider;
  const auto results = co_await store::transaction(db_, [&](Tx& tx) -> Awaitable<std::vector<RunResult>> {
    std::vector<RunResult> out(runs.size());
    for (std::size_t i = 0; i < runs.size(); ++i) co_await apply_run(tx, provider, *runs[i], out[i]);
    co_return out;
  });
  for (const auto& r : results) {
    add_run(work.report, r, provider);
    work.changes.merge(r.changes);
  }
}

// bet_settlement, bet_cancel and rollback_bet_settlement: through the settlement, which records results in
// transactions of its own. Recording the same results again is a no-op, so a message whose sequence was not
// yet recorded when a task died is safely applied again.
Awaitable<void> Feed::apply_settling(const Message& message, Work& work) {
  const auto& provider = options_.provider;
  const auto event = co_await feed_.find_event(provider, message.event_id);
  auto reject = [&](std::string reason) {
    work.report.rejected.push_back(Rejection{message.index, std::move(reason)});
  };
  if (!event) {
    reject("unknown event: a fixture_change must create it first");
    co_return;
  }
  const auto verdict = domain::feed::judge_sequence(event->last_sequence, message.sequence);
  if (verdict == SequenceVerdict::duplicate) {
    ++work.report.duplicates;
    co_return;
  }
  const auto markets = co_await feed_.markets(provider, message.event_id);
  const auto actor = feed_actor(provider);
  std::vector<std::pair<std::string, SettleRequest>> settle;  // our market id, its results
  if (message.type == MessageType::bet_settlement) {
    for (const auto& result : std::get<domain::feed::BetSettlement>(message.body).markets) {
      const auto* market = find_market(markets, result.id);
      if (!market) {
        reject("unknown market " + result.id);
        co_return;
      }
      auto request = settle_request(*market, result);
      if (auto* problem = std::get_if<std::string>(&request)) {
        reject(std::move(*problem));
        co_return;
      }
      settle.emplace_back(market->market_id, std::get<SettleRequest>(std::move(request)));
    }
  } else {
    const auto& names = message.type == MessageType::bet_cancel
                            ? std::get<domain::feed::BetCancel>(message.body).markets
                            : std::get<domain::feed::RollbackSettlement>(message.body).markets;
    auto named = named_markets(markets, names);
    if (auto* problem = std::get_if<std::string>(&named)) {
      reject(std::move(*problem));
      co_return;
    }
    for (const auto* m : std::get<std::vector<const FeedMarket*>>(named)) {
      if (message.type == MessageType::rollback_bet_settlement) {
        store::FeedRollback rollback{provider, message.event_id, m->provider_market_id, m->market_id, message.sequence};
        co_await feed_.record_rollback(std::move(rollback));
        metrics::add(metrics::Counter::feed_rollbacks);
        log::warn("feed settlement rollback recorded: an operator must review the market's bets")
            .str("provider", provider)
            .str("event", message.event_id)
            .str("market_id", m->market_id)
            .num("sequence", message.sequence);
        continue;
      }
      // Cancelling every market skips those already final; a named one must not be settled already.
      if (names.empty() && domain::market_is_final(m->status)) continue;
      SettleRequest void_all;
      void_all.void_market = true;
      settle.emplace_back(m->market_id, std::move(void_all));
    }
  }
  std::optional<std::string> refused;
  for (auto& [market_id, request] : settle) {
    try {
      co_await settlement_.record_results(market_id, std::move(request), actor);
    } catch (const Error& e) {
      refused = "market " + market_id + ": " + e.what();  // e.g. already settled with other results
    }
    if (refused) break;
    work.to_resolve.push_back(market_id);
  }
  if (refused) {
    reject(std::move(*refused));
    co_return;
  }
  co_await feed_.advance_sequence(provider, message.event_id, message.sequence, message.timestamp);
  if (message.type == MessageType::rollback_bet_settlement)
    ++work.report.needs_operator;
  else
    ++work.report.applied;
  if (verdict == SequenceVerdict::gap) {
    RunResult gap;
    gap.gaps.push_back({message.event_id, event->last_sequence, message.sequence});
    add_run(work.report, std::move(gap), provider);
  }
}

Awaitable<std::vector<store::FeedRollbackRow>> Feed::rollbacks(
    int limit, std::optional<std::pair<std::int64_t, std::string>> after) {
  co_return co_await feed_.rollbacks(limit, std::move(after));
}

}  // namespace b2w::sportsbook
