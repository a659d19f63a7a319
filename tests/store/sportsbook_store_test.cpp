// The sportsbook's repositories on both SQL backends: each table's rows come back as they were written
// (typed statuses included), the filters and cursors select what they say, and the conditional writes
// refuse what they must. (tests/store/sportsbook_test.cpp runs the services over them.)
#include <gtest/gtest.h>

#include "store/bets.hpp"
#include "store/catalog.hpp"
#include "store/dashboard.hpp"
#include "store/payments.hpp"
#include "store/settlement.hpp"
#include "store_fixture.hpp"

using namespace b2w;
using namespace b2w::test;
using domain::BetStatus;
using domain::EventStatus;
using domain::LegResult;
using domain::MarketStatus;
using store::Awaitable;
using store::Bet;
using store::BetRepository;
using store::CatalogRepository;
using store::Event;
using store::Market;
using store::SettlementRepository;
using store::Tx;

namespace {

constexpr std::int64_t kHour = 3'600'000'000;

class SportsbookStore : public StoreWithUser {
 protected:
  Event event(const std::string& id, const std::string& sport, std::int64_t starts_at,
              EventStatus status = EventStatus::scheduled) {
    Event e;
    e.id = id;
    e.sport = sport;
    e.name = id + " home vs away";
    e.home = "Home";
    e.away = "Away";
    e.starts_at = starts_at;
    e.status = status;
    run_sync(catalog().insert_event(e, store::now_micros()));
    return e;
  }
  Market market(const std::string& id, const std::string& event_id, std::vector<domain::Odds> odds) {
    Market m;
    m.id = id;
    m.event_id = event_id;
    m.name = "1X2";
    m.version = 1;
    for (std::size_t i = 0; i < odds.size(); ++i)
      m.selections.push_back(
          store::Selection{id + "_s" + std::to_string(i), "S" + std::to_string(i), odds[i], std::nullopt});
    in_tx([&](Tx& tx) -> Awaitable<void> { co_await CatalogRepository::insert_market(tx, m, store::now_micros()); });
    return m;
  }
  Bet bet(const std::string& id, const std::string& key, const Market& m, std::size_t selection,
          std::int64_t created_at) {
    Bet b;
    b.id = id;
    b.user_id = user_;
    b.idempotency_key = key;
    b.request_hash = "hash-" + key;
    b.stake = 1000;
    b.total_odds = "2.00";
    b.potential_payout = 2000;
    b.created_at = created_at;
    b.legs.push_back(store::BetLeg{m.selections.at(selection).id, m.id, m.event_id, 2000, LegResult::open});
    in_tx([&](Tx& tx) -> Awaitable<void> { co_await BetRepository::insert(tx, b); });
    return b;
  }
  template <typename F>
  void in_tx(F body) {
    run_sync(transaction(*db_, [&](Tx& tx) -> Awaitable<void> { co_await body(tx); }));
  }
  CatalogRepository catalog() { return CatalogRepository(*db_); }
  BetRepository bets() { return BetRepository(*db_); }
};

}  // namespace

TEST_P(SportsbookStore, EventsAndMarketsComeBackAsWritten) {
  const auto now = store::now_micros();
  event("evt_a", "football", now + kHour);
  market("mkt_a1", "evt_a", {1850, 3200, 4000});
  market("mkt_a2", "evt_a", {1900, 1900});
  const auto found = run_sync(catalog().find_event("evt_a"));
  ASSERT_TRUE(found);
  EXPECT_EQ(found->sport, "football");
  EXPECT_EQ(found->starts_at, now + kHour);
  EXPECT_EQ(found->status, EventStatus::scheduled);
  ASSERT_EQ(found->markets.size(), 2u);
  EXPECT_EQ(found->markets[0].id, "mkt_a1") << "in the order they were added";
  EXPECT_EQ(found->markets[0].status, MarketStatus::open);
  ASSERT_EQ(found->markets[0].selections.size(), 3u);
  EXPECT_EQ(found->markets[0].selections[1].odds, 3200) << "selections in position order";
  EXPECT_EQ(found->markets[0].selections[1].result, std::nullopt);
  EXPECT_EQ(run_sync(catalog().find_event("evt_nope")), std::nullopt);
  EXPECT_EQ(run_sync(catalog().find_market("mkt_nope")), std::nullopt);

  // Status, result and odds writes, each read back typed; the market's version moves with each change.
  in_tx([&](Tx& tx) -> Awaitable<void> {
    auto locked = co_await CatalogRepository::lock_event(tx, "evt_a");
    EXPECT_TRUE(locked);
    if (!locked) co_return;
    locked->status = EventStatus::cancelled;
    co_await CatalogRepository::update_event(tx, *locked, store::now_micros());
    const auto status = co_await CatalogRepository::lock_market(tx, "mkt_a2");
    EXPECT_EQ(status, MarketStatus::open);
    co_await CatalogRepository::set_odds(tx, "mkt_a2_s0", 2500);
    co_await CatalogRepository::set_result(tx, "mkt_a2_s0", LegResult::void_);
    co_await CatalogRepository::set_result(tx, "mkt_a2_s1", LegResult::won);
    co_await CatalogRepository::set_market_status(tx, "mkt_a2", MarketStatus::void_, store::now_micros());
    const auto missing = co_await CatalogRepository::lock_market(tx, "mkt_nope");
    EXPECT_EQ(missing, std::nullopt);
  });
  const auto m = run_sync(catalog().find_market("mkt_a2"));
  ASSERT_TRUE(m);
  EXPECT_EQ(m->status, MarketStatus::void_);
  EXPECT_EQ(m->version, 2);
  EXPECT_EQ(m->selections[0].odds, 2500);
  EXPECT_EQ(m->selections[0].result, LegResult::void_);
  EXPECT_EQ(m->selections[1].result, LegResult::won);
  EXPECT_EQ(run_sync(catalog().find_event("evt_a"))->status, EventStatus::cancelled);
  const std::vector<MarketStatus> unsettled(domain::kUnsettledMarketStatuses.begin(),
                                            domain::kUnsettledMarketStatuses.end());
  EXPECT_EQ(run_sync(catalog().market_ids("evt_a", unsettled)), std::vector<std::string>{"mkt_a1"});
  EXPECT_EQ(run_sync(catalog().market_ids("evt_a", {MarketStatus::void_})), std::vector<std::string>{"mkt_a2"});
}

TEST_P(SportsbookStore, EventListsFilterAndPageAndSportsCount) {
  const auto now = store::now_micros();
  event("evt_1", "football", now + 1 * kHour);
  event("evt_2", "tennis", now + 2 * kHour, EventStatus::live);
  event("evt_3", "football", now + 3 * kHour, EventStatus::finished);
  event("evt_4", "football", now + 4 * kHour);
  market("mkt_4", "evt_4", {2000, 2000});
  store::EventFilter current;
  current.statuses.assign(domain::kCurrentEventStatuses.begin(), domain::kCurrentEventStatuses.end());
  const auto listed = run_sync(catalog().list_events(current));
  ASSERT_EQ(listed.size(), 3u);
  EXPECT_EQ(listed[0].id, "evt_1");
  EXPECT_EQ(listed[1].status, EventStatus::live);
  EXPECT_EQ(listed[2].id, "evt_4");
  ASSERT_EQ(listed[2].markets.size(), 1u) << "with their markets";
  auto football = current;
  football.sport = "football";
  football.limit = 1;
  const auto first = run_sync(catalog().list_events(football));
  ASSERT_EQ(first.size(), 1u);
  football.after = std::pair{first[0].starts_at, first[0].id};
  const auto next = run_sync(catalog().list_events(football));
  ASSERT_EQ(next.size(), 1u);
  EXPECT_EQ(next[0].id, "evt_4") << "the finished event is not current";
  store::EventFilter finished;
  finished.statuses = {EventStatus::finished};
  finished.from = now + 3 * kHour;
  finished.to = now + 3 * kHour + 1;
  EXPECT_EQ(run_sync(catalog().list_events(finished)).size(), 1u);
  finished.from = now + 3 * kHour + 1;
  EXPECT_TRUE(run_sync(catalog().list_events(finished)).empty());

  auto counts = run_sync(catalog().sport_counts({EventStatus::scheduled, EventStatus::live}));
  std::sort(counts.begin(), counts.end(), [](const auto& a, const auto& b) { return a.key < b.key; });
  ASSERT_EQ(counts.size(), 2u);
  EXPECT_EQ(counts[0].key, "football");
  EXPECT_EQ(counts[0].events, 2);
  EXPECT_EQ(counts[1].key, "tennis");
  EXPECT_EQ(counts[1].events, 1);
}

TEST_P(SportsbookStore, OffersCarryTheStatesPlacementChecks) {
  const auto now = store::now_micros();
  event("evt_o", "boxing", now + kHour, EventStatus::live);
  const auto m = market("mkt_o", "evt_o", {1500, 2600});
  in_tx([&](Tx& tx) -> Awaitable<void> {
    co_await CatalogRepository::set_market_status(tx, "mkt_o", MarketStatus::suspended, store::now_micros());
  });
  // (Braced lists outside the coroutines: GCC 12 miscompiles them inside.)
  const std::vector<std::string> ids{m.selections[1].id, "sel_unknown"};
  in_tx([&](Tx& tx) -> Awaitable<void> {
    const auto offers = co_await CatalogRepository::lock_offers(tx, ids);
    EXPECT_EQ(offers.size(), 1u) << "unknown selections are missing";
    const auto it = offers.find(m.selections[1].id);
    EXPECT_TRUE(it != offers.end());
    if (it == offers.end()) co_return;
    EXPECT_EQ(it->second.market_id, "mkt_o");
    EXPECT_EQ(it->second.event_id, "evt_o");
    EXPECT_EQ(it->second.odds, 2600);
    EXPECT_EQ(it->second.market_status, MarketStatus::suspended);
    EXPECT_EQ(it->second.event_status, EventStatus::live);
    EXPECT_EQ(it->second.starts_at, now + kHour);
  });
}

TEST_P(SportsbookStore, BetsComeBackWithTheirLegsByIdKeyAndPage) {
  event("evt_b", "football", store::now_micros() + kHour);
  const auto m = market("mkt_b", "evt_b", {2000, 2000});
  bet("bet_1", "k1", m, 0, 100);
  bet("bet_2", "k2", m, 1, 200);
  bet("bet_3", "k3", m, 0, 300);
  const auto found = run_sync(bets().find(user_, "bet_2"));
  ASSERT_TRUE(found);
  EXPECT_EQ(found->status, BetStatus::open);
  EXPECT_EQ(found->request_hash, "hash-k2");
  EXPECT_EQ(found->payout, std::nullopt);
  ASSERT_EQ(found->legs.size(), 1u);
  EXPECT_EQ(found->legs[0].selection_id, m.selections[1].id);
  EXPECT_EQ(found->legs[0].status, LegResult::open);
  EXPECT_EQ(run_sync(bets().find("usr_other", "bet_2")), std::nullopt) << "only the bettor's own";
  EXPECT_EQ(run_sync(bets().find_by_key(user_, "k3"))->id, "bet_3");
  EXPECT_EQ(run_sync(bets().find_by_key(user_, "k9")), std::nullopt);
  const auto page = run_sync(bets().list(user_, std::nullopt, 2, std::nullopt));
  ASSERT_EQ(page.size(), 2u);
  EXPECT_EQ(page[0].id, "bet_3") << "newest first";
  EXPECT_EQ(page[1].legs.size(), 1u);
  const auto rest = run_sync(bets().list(user_, std::nullopt, 2, std::pair{page[1].created_at, page[1].id}));
  ASSERT_EQ(rest.size(), 1u);
  EXPECT_EQ(rest[0].id, "bet_1");
  EXPECT_TRUE(run_sync(bets().list(user_, BetStatus::won, 10, std::nullopt)).empty());
}

// Settlement's statements: lock the bets with an open leg in a market, give their legs the results,
// close each bet once (closing a bet that is no longer open fails the whole transaction).
TEST_P(SportsbookStore, SettlementStatementsResolveAndCloseEachBetOnce) {
  event("evt_s", "football", store::now_micros() + kHour);
  const auto m = market("mkt_s", "evt_s", {2000, 2000});
  bet("bet_w", "w", m, 0, 100);
  bet("bet_l", "l", m, 1, 200);
  in_tx([&](Tx& tx) -> Awaitable<void> {
    co_await CatalogRepository::set_result(tx, m.selections[0].id, LegResult::won);
    co_await CatalogRepository::set_result(tx, m.selections[1].id, LegResult::lost);
  });
  const std::vector<std::string> ids{"bet_l", "bet_w"};
  std::vector<store::BetClosing> closing;
  closing.push_back(store::BetClosing{"bet_w", BetStatus::won, 2000});
  closing.push_back(store::BetClosing{"bet_l", BetStatus::lost, 0});
  in_tx([&](Tx& tx) -> Awaitable<void> {
    const auto locked = co_await BetRepository::lock_with_open_leg(tx, "mkt_s", 1);
    EXPECT_EQ(locked.size(), 1u) << "at most the limit";
    const auto all = co_await BetRepository::lock_with_open_leg(tx, "mkt_s", 10);
    EXPECT_EQ(all.size(), 2u);
    if (all.size() != 2) co_return;
    EXPECT_EQ(all[0].id, "bet_l") << "in id order";
    EXPECT_EQ(all[1].user_id, user_);
    co_await BetRepository::resolve_open_legs(tx, ids);
    const auto legs = co_await BetRepository::legs_of(tx, ids);
    EXPECT_EQ(legs.at("bet_w").at(0).status, LegResult::won);
    EXPECT_EQ(legs.at("bet_l").at(0).status, LegResult::lost);
    co_await BetRepository::close(tx, closing, 500);
  });
  const auto won = run_sync(bets().find(user_, "bet_w"));
  EXPECT_EQ(won->status, BetStatus::won);
  EXPECT_EQ(won->payout, 2000);
  EXPECT_EQ(won->settled_at, 500);
  EXPECT_EQ(run_sync(bets().list(user_, BetStatus::lost, 10, std::nullopt)).size(), 1u);
  in_tx([&](Tx& tx) -> Awaitable<void> {
    const auto left = co_await BetRepository::lock_with_open_leg(tx, "mkt_s", 10);
    EXPECT_TRUE(left.empty());
  });
  // A second closing of a closed bet: the transaction fails and nothing of it is kept.
  std::vector<store::BetClosing> again;
  again.push_back(store::BetClosing{"bet_w", BetStatus::void_, 1000});
  EXPECT_THROW(in_tx([&](Tx& tx) -> Awaitable<void> { co_await BetRepository::close(tx, again, 600); }),
               store::UnexpectedRowCount);
  EXPECT_EQ(run_sync(bets().find(user_, "bet_w"))->status, BetStatus::won);
}

// A market's liability: per selection the open bets with an open leg on it, their stakes and what they pay if it
// wins (an accumulator in full); closed bets and other markets' bets do not count.
TEST_P(SportsbookStore, MarketLiabilityCountsOpenBetsPerSelection) {
  event("evt_l", "football", store::now_micros() + kHour);
  const auto m = market("mkt_l", "evt_l", {2000, 3000, 4000});
  const auto other = market("mkt_o", "evt_l", {1500, 2500});
  bet("bet_a", "a", m, 0, 100);
  bet("bet_b", "b", m, 0, 110);
  bet("bet_c", "c", m, 1, 120);
  bet("bet_x", "x", other, 0, 130);  // another market's
  Bet acc;
  acc.id = "bet_acc";
  acc.user_id = user_;
  acc.idempotency_key = "acc";
  acc.request_hash = "hash-acc";
  acc.stake = 500;
  acc.total_odds = "6.00";
  acc.potential_payout = 3000;
  acc.created_at = 140;
  acc.legs.push_back(store::BetLeg{m.selections[2].id, m.id, m.event_id, 4000, LegResult::open});
  acc.legs.push_back(store::BetLeg{other.selections[0].id, other.id, other.event_id, 1500, LegResult::open});
  in_tx([&](Tx& tx) -> Awaitable<void> { co_await BetRepository::insert(tx, acc); });

  auto l = run_sync(bets().market_liability("mkt_l"));
  EXPECT_EQ(l.open_bets, 4);
  EXPECT_EQ(l.open_stakes, 3500);
  ASSERT_EQ(l.selections.size(), 3u);
  EXPECT_EQ(l.selections[0].selection_id, m.selections[0].id) << "in the market's order";
  EXPECT_EQ(l.selections[0].name, "S0");
  EXPECT_EQ(l.selections[0].odds, 2000);
  EXPECT_EQ(l.selections[0].open_bets, 2);
  EXPECT_EQ(l.selections[0].open_stakes, 2000);
  EXPECT_EQ(l.selections[0].payout_if_wins, 4000);
  EXPECT_EQ(l.selections[1].open_bets, 1);
  EXPECT_EQ(l.selections[1].open_stakes, 1000);
  EXPECT_EQ(l.selections[1].payout_if_wins, 2000);
  EXPECT_EQ(l.selections[2].open_bets, 1) << "the accumulator, in full";
  EXPECT_EQ(l.selections[2].open_stakes, 500);
  EXPECT_EQ(l.selections[2].payout_if_wins, 3000);

  // A settled bet leaves the exposure; a market without bets has none.
  std::vector<store::BetClosing> closing;
  closing.push_back(store::BetClosing{"bet_a", BetStatus::lost, 0});
  in_tx([&](Tx& tx) -> Awaitable<void> { co_await BetRepository::close(tx, closing, 500); });
  l = run_sync(bets().market_liability("mkt_l"));
  EXPECT_EQ(l.open_bets, 3);
  EXPECT_EQ(l.open_stakes, 2500);
  EXPECT_EQ(l.selections[0].open_bets, 1);
  EXPECT_EQ(l.selections[0].payout_if_wins, 2000);
  const auto other_l = run_sync(bets().market_liability("mkt_o"));
  EXPECT_EQ(other_l.open_bets, 2);
  EXPECT_EQ(other_l.selections[0].payout_if_wins, 2000 + 3000);
  EXPECT_EQ(other_l.selections[1].open_bets, 0);
  EXPECT_EQ(other_l.selections[1].payout_if_wins, 0);
  EXPECT_TRUE(run_sync(bets().market_liability("mkt_none")).selections.empty());
}

// The dashboard's figures of a period: accepted bets placed in it, bets won or lost in it, payments completed in it,
// and the bets open now.
TEST_P(SportsbookStore, DashboardFiguresOfAPeriod) {
  event("evt_d", "football", store::now_micros() + kHour);
  const auto m = market("mkt_d", "evt_d", {2000, 2000});
  const std::int64_t from = 1'000'000, to = 2'000'000;
  bet("bet_before", "k0", m, 0, from - 1);  // placed before the period
  bet("bet_in1", "k1", m, 0, from);
  bet("bet_in2", "k2", m, 1, to - 1);
  bet("bet_won", "k3", m, 0, from + 10);
  bet("bet_after", "k4", m, 1, to);  // placed after it
  std::vector<store::BetClosing> closing;
  closing.push_back(store::BetClosing{"bet_won", BetStatus::won, 2000});
  closing.push_back(store::BetClosing{"bet_before", BetStatus::lost, 0});
  in_tx([&](Tx& tx) -> Awaitable<void> { co_await BetRepository::close(tx, closing, from + 50); });
  std::vector<store::BetClosing> later;
  later.push_back(store::BetClosing{"bet_in2", BetStatus::void_, 1000});
  in_tx([&](Tx& tx) -> Awaitable<void> { co_await BetRepository::close(tx, later, from + 60); });
  const auto pay = [&](const std::string& id, domain::PaymentKind kind, domain::PaymentStatus status,
                       std::int64_t updated_at, std::int64_t amount) {
    store::Payment p;
    p.id = id;
    p.user_id = user_;
    p.kind = kind;
    p.reference = "ref-" + id;
    p.amount = amount;
    p.status = status;
    p.created_at = 10;
    p.updated_at = updated_at;
    run_sync(transaction(
        *db_, [&](Tx& tx) -> Awaitable<bool> { co_return co_await store::PaymentRepository::insert(tx, p); }));
  };
  pay("dep_1", domain::PaymentKind::deposit, domain::PaymentStatus::completed, from + 1, 50'000);
  pay("dep_2", domain::PaymentKind::deposit, domain::PaymentStatus::completed, to - 1, 7);
  pay("dep_out", domain::PaymentKind::deposit, domain::PaymentStatus::completed, to, 99);
  pay("dep_pending", domain::PaymentKind::deposit, domain::PaymentStatus::pending, from + 1, 99);
  pay("wd_1", domain::PaymentKind::withdrawal, domain::PaymentStatus::completed, from + 2, 3'000);
  pay("wd_review", domain::PaymentKind::withdrawal, domain::PaymentStatus::awaiting_review, from + 2, 99);

  const auto f = run_sync(store::DashboardRepository(*db_).figures(from, to));
  EXPECT_EQ(f.bets, 3) << "in1, in2 (void counts as placed), won";
  EXPECT_EQ(f.turnover, 3000);
  EXPECT_EQ(f.active_players, 1);
  EXPECT_EQ(f.settled_bets, 2) << "won and lost ones in the period; the void one counts for nothing";
  EXPECT_EQ(f.settled_stakes, 2000);
  EXPECT_EQ(f.payouts, 2000);
  EXPECT_EQ(f.deposits, 2);
  EXPECT_EQ(f.deposited, 50'007);
  EXPECT_EQ(f.withdrawals, 1);
  EXPECT_EQ(f.withdrawn, 3'000);
  EXPECT_EQ(f.open_bets, 2) << "in1 and after: open now whenever placed";
  EXPECT_EQ(f.open_stakes, 2000);
  EXPECT_EQ(f.open_liability, 4000);
  const auto empty = run_sync(store::DashboardRepository(*db_).figures(to + 1'000'000, to + 2'000'000));
  EXPECT_EQ(empty.bets, 0);
  EXPECT_EQ(empty.turnover, 0);
  EXPECT_EQ(empty.deposited, 0);
  EXPECT_EQ(empty.open_bets, 2);
}

TEST_P(SportsbookStore, PendingSettlementsByAge) {
  event("evt_p", "football", store::now_micros() + kHour);
  market("mkt_p1", "evt_p", {2000, 2000});
  market("mkt_p2", "evt_p", {2000, 2000});
  in_tx([&](Tx& tx) -> Awaitable<void> {
    co_await SettlementRepository::add_pending(tx, "mkt_p2", 100);
    co_await SettlementRepository::add_pending(tx, "mkt_p1", 200);
  });
  SettlementRepository pending(*db_);
  EXPECT_EQ(run_sync(pending.oldest_pending()), std::optional<std::int64_t>(100)) << "the settlement lag's start";
  EXPECT_EQ(run_sync(pending.pending(200, 10)), (std::vector<std::string>{"mkt_p2", "mkt_p1"})) << "oldest first";
  EXPECT_EQ(run_sync(pending.pending(199, 10)), std::vector<std::string>{"mkt_p2"});
  EXPECT_EQ(run_sync(pending.pending(200, 1)), std::vector<std::string>{"mkt_p2"});
  run_sync(pending.remove_pending("mkt_p2"));
  EXPECT_EQ(run_sync(pending.pending(1000, 10)), std::vector<std::string>{"mkt_p1"});
  EXPECT_EQ(run_sync(pending.oldest_pending()), std::optional<std::int64_t>(200));
  run_sync(pending.remove_pending("mkt_p1"));
  EXPECT_EQ(run_sync(pending.oldest_pending()), std::nullopt) << "nothing pending: no lag";
}

INSTANTIATE_TEST_SUITE_P(Backends, SportsbookStore, ::testing::Values(Backend::sqlite, Backend::postgres),
                         [](const auto& info) { return backend_name(info.param); });
