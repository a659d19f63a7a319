// The sportsbook on both SQL backends: placement under concurrency, races with suspension,
// settlement (singles, accumulators, void, re-send, crash-resume) and the ledger after a random workload.
#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <random>
#include <thread>

#include "domain/error.hpp"
#include "kv/memory_store.hpp"
#include "sportsbook/bets.hpp"
#include "sportsbook/catalog.hpp"
#include "sportsbook/catalog_admin.hpp"
#include "sportsbook/settlement.hpp"
#include "store/audit.hpp"
#include "store/casino.hpp"
#include "store/db/migrations.hpp"
#include "store/ledger.hpp"
#include "store/player_limits.hpp"
#include "store/users.hpp"
#include "store_fixture.hpp"

using namespace b2w;
using namespace b2w::test;
using namespace b2w::sportsbook;
using store::Tx;

namespace {

const domain::Actor kTrader{"usr_trader", "admin", "req-test"};

constexpr std::int64_t kHour = 3'600'000'000;

class Sportsbook : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    fresh_ = fresh_database(GetParam(), 16);
    db_ = fresh_->db.get();
    run_sync(store::migrate(*db_));
    catalog_ = std::make_unique<Catalog>(*db_);
    bets_ = std::make_unique<Bets>(*db_, BettingLimits{100, 100'000'000, 10'000'000'000, 20, 100'000'000'000});
    settlement_ = std::make_unique<Settlement>(*db_, 7);  // small batches: many of them in every test
  }

  std::string user(const std::string& email, domain::Kobo funds) {
    store::UserRepository users(*db_);
    // An adult: an account without a date of birth may not bet.
    auto id = run_sync(users.create(email, "x", std::nullopt, std::nullopt, "user",
                                    [](Tx& tx, const store::UserRecord& created) -> store::Awaitable<void> {
                                      co_await store::UserRepository::set_date_of_birth(tx, created.id, "1990-06-15");
                                    }))
                  .id;
    if (funds > 0) {
      const auto deposit = store::move_money("dep:" + id, "deposit", "ref", store::kPaystackClearingAccount,
                                             store::wallet_account(id), funds);
      run_sync(transaction(
          *db_, [&](Tx& tx) -> store::Awaitable<void> { co_await store::LedgerRepository::post(tx, deposit); }));
    }
    return id;
  }
  // An event starting in an hour with one market of the given odds.
  Market market(std::vector<domain::Odds> odds, const std::string& sport = "football") {
    const auto event =
        run_sync(catalog_->create_event(NewEvent{sport, "A vs B", "A", "B", store::now_micros() + kHour}));
    NewMarket m{"1X2", {}};
    for (std::size_t i = 0; i < odds.size(); ++i) m.selections.emplace_back("S" + std::to_string(i), odds[i]);
    return run_sync(catalog_->create_market(event.id, m));
  }
  Placed place(const std::string& user_id, domain::Kobo stake, std::vector<std::pair<std::string, domain::Odds>> legs,
               const std::string& key, domain::OddsChange policy = domain::OddsChange::none) {
    BetSlip slip{stake, std::move(legs), policy};
    return run_sync(bets_->place(user_id, slip, key, "hash:" + key));
  }
  // 8 threads × 4 bets of 1,000 at odds 2.00 on `selection`, all at once: {accepted, refused}; every refusal must
  // carry `refusal`.
  std::pair<int, int> race_bets(const std::string& u, const std::string& selection, const std::string& refusal) {
    std::atomic<int> accepted{0}, refused{0};
    std::vector<std::future<void>> workers;
    for (int t = 0; t < 8; ++t)
      workers.push_back(std::async(std::launch::async, [&, t] {
        for (int i = 0; i < 4; ++i) {
          try {
            place(u, 1000, {{selection, 2000}}, "race" + std::to_string(t) + "_" + std::to_string(i));
            accepted.fetch_add(1);
          } catch (const domain::Error& e) {
            EXPECT_EQ(e.code(), refusal);
            refused.fetch_add(1);
          }
        }
      }));
    for (auto& w : workers) w.get();
    return {accepted.load(), refused.load()};
  }

  std::string error_code(const std::function<void()>& f) {
    try {
      f();
    } catch (const domain::Error& e) {
      return e.code();
    }
    return "none";
  }
  void settle(const std::string& market_id, std::map<std::string, std::string> results, bool void_market = false) {
    SettleRequest r{void_market, std::move(results)};
    run_sync(settlement_->record_results(market_id, r));
    run_sync(settlement_->resolve(market_id));
  }
  store::WalletBalances balances(const std::string& user_id) {
    return run_sync(store::LedgerRepository(*db_).balances(user_id));
  }
  std::vector<std::string> verify() { return run_sync(store::LedgerRepository(*db_).verify()); }
  Bet bet(const std::string& user_id, const std::string& id) { return *run_sync(bets_->find(user_id, id)); }

  std::unique_ptr<FreshDatabase> fresh_;
  store::Database* db_ = nullptr;
  std::unique_ptr<Catalog> catalog_;
  std::unique_ptr<Bets> bets_;
  std::unique_ptr<Settlement> settlement_;
};

}  // namespace

TEST_P(Sportsbook, PlacementMovesTheStakeAndRecordsTheSlip) {
  const auto u = user("p@example.ng", 100'000);
  const auto m = market({1850, 3200, 4000});
  const auto placed = place(u, 10'000, {{m.selections[0].id, 1850}}, "k1");
  EXPECT_FALSE(placed.replayed);
  EXPECT_EQ(placed.bet.status, domain::BetStatus::open);
  EXPECT_EQ(placed.bet.total_odds, "1.85");
  EXPECT_EQ(placed.bet.potential_payout, 18'500);
  ASSERT_EQ(placed.bet.legs.size(), 1u);
  EXPECT_EQ(placed.bet.legs[0].market_id, m.id);
  EXPECT_EQ(placed.bet.legs[0].event_id, m.event_id);
  EXPECT_EQ(balances(u).balance, 90'000);
  EXPECT_EQ(balances(u).in_play, 10'000);
  const auto again = bet(u, placed.bet.id);
  EXPECT_EQ(again.legs.size(), 1u);
  EXPECT_EQ(run_sync(bets_->find("usr_other", placed.bet.id)), std::nullopt) << "someone else's bet is not found";
  EXPECT_TRUE(verify().empty());
}

TEST_P(Sportsbook, SameKeyReplaysAndDifferentRequestIsRefused) {
  const auto u = user("idem@example.ng", 100'000);
  const auto m = market({1850, 2000});
  const auto first = place(u, 10'000, {{m.selections[0].id, 1850}}, "same");
  // The odds move: a retry still gets the bet back rather than a 409.
  run_sync(catalog_->update_market(m.id, MarketChange{std::nullopt, {{m.selections[0].id, 1500}}}));
  const auto retry = place(u, 10'000, {{m.selections[0].id, 1850}}, "same");
  EXPECT_TRUE(retry.replayed);
  EXPECT_EQ(retry.bet.id, first.bet.id);
  EXPECT_EQ(balances(u).balance, 90'000) << "charged once";
  BetSlip other{20'000, {{m.selections[0].id, 1500}}, domain::OddsChange::none};
  EXPECT_EQ(error_code([&] { run_sync(bets_->place(u, other, "same", "another-hash")); }), "idempotency_key_reused");
}

TEST_P(Sportsbook, AnExcludedOrUnderdocumentedPlayerCannotStake) {
  const auto u = user("excluded@example.ng", 50'000);
  const auto m = market({1850, 2000});
  const std::string id = u;
  run_sync(transaction(*db_, [&id](Tx& tx) -> store::Awaitable<void> {
    co_await store::UserRepository::extend_exclusion(tx, id, store::now_micros() + 60'000'000, "24h");
  }));
  EXPECT_EQ(error_code([&] { place(u, 1000, {{m.selections[0].id, 1850}}, "x"); }), "self_excluded");
  EXPECT_EQ(balances(u).balance, 50'000) << "nothing moved";

  store::UserRepository users(*db_);
  const auto undated = run_sync(users.create("undated@example.ng", "x", std::nullopt, std::nullopt)).id;
  EXPECT_EQ(error_code([&] { place(undated, 1000, {{m.selections[0].id, 1850}}, "y"); }), "date_of_birth_required");
}

TEST_P(Sportsbook, EveryRefusalHasItsCodeAndChangesNothing) {
  const auto u = user("refused@example.ng", 50'000);
  const auto m = market({1850, 2000});
  const auto m2 = market({1500, 2500});
  const auto& s = m.selections[0].id;
  EXPECT_EQ(error_code([&] { place(u, 99, {{s, 1850}}, "a"); }), "stake_out_of_range");
  EXPECT_EQ(error_code([&] { place(u, 100'000'001, {{s, 1850}}, "b"); }), "stake_out_of_range");
  EXPECT_EQ(error_code([&] { place(u, 1000, {}, "c"); }), "validation_error");
  EXPECT_EQ(error_code([&] { place(u, 1000, {{s, 1850}, {s, 1850}}, "d"); }), "conflicting_legs");
  EXPECT_EQ(error_code([&] { place(u, 1000, {{s, 1850}, {m.selections[1].id, 2000}}, "e"); }), "conflicting_legs");
  EXPECT_EQ(error_code([&] { place(u, 1000, {{"sel_nope", 1850}}, "f"); }), "selection_not_found");
  EXPECT_EQ(error_code([&] { place(u, 1000, {{s, 1900}}, "g"); }), "odds_changed");
  EXPECT_EQ(error_code([&] { place(u, 60'000, {{s, 1850}}, "h"); }), "insufficient_funds");
  std::vector<std::pair<std::string, domain::Odds>> many;
  for (int i = 0; i < 21; ++i) many.emplace_back("sel_" + std::to_string(i), 2000);
  EXPECT_EQ(error_code([&] { place(u, 1000, many, "i"); }), "validation_error");
  // Payout cap: 10,000,000,000 kobo.
  const auto long_shot = market({1'000'000, 1010});
  EXPECT_EQ(error_code([&] {
              place(u, 10'000'000, {{long_shot.selections[0].id, 1'000'000}, {m2.selections[0].id, 1500}}, "j");
            }),
            "payout_too_high");
  run_sync(catalog_->update_market(m.id, MarketChange{domain::MarketStatus::suspended, {}}));
  EXPECT_EQ(error_code([&] { place(u, 1000, {{s, 1850}}, "k"); }), "market_suspended");
  run_sync(catalog_->update_market(m.id, MarketChange{domain::MarketStatus::open, {}}));
  // The event starts: no more bets.
  run_sync(db_->query("UPDATE events SET starts_at = $1 WHERE id = $2", store::now_micros() - 1, m.event_id));
  EXPECT_EQ(error_code([&] { place(u, 1000, {{s, 1850}}, "l"); }), "market_closed");
  EXPECT_EQ(balances(u).balance, 50'000);
  EXPECT_EQ(run_sync(db_->query("SELECT COUNT(*) FROM bets")).one().i64(0), 0);
  EXPECT_TRUE(verify().empty());
}

TEST_P(Sportsbook, OddsChangePolicies) {
  const auto u = user("policy@example.ng", 100'000);
  const auto m = market({2000, 2000});
  const auto& s = m.selections[0].id;
  run_sync(catalog_->update_market(m.id, MarketChange{std::nullopt, {{s, 2200}}}));
  EXPECT_EQ(error_code([&] { place(u, 1000, {{s, 2000}}, "a"); }), "odds_changed");
  const auto higher = place(u, 1000, {{s, 2000}}, "b", domain::OddsChange::higher);
  EXPECT_EQ(higher.bet.legs[0].odds, 2200) << "the bet takes the current, better odds";
  run_sync(catalog_->update_market(m.id, MarketChange{std::nullopt, {{s, 1900}}}));
  EXPECT_EQ(error_code([&] { place(u, 1000, {{s, 2000}}, "c", domain::OddsChange::higher); }), "odds_changed");
  const auto any = place(u, 1000, {{s, 2000}}, "d", domain::OddsChange::any);
  EXPECT_EQ(any.bet.legs[0].odds, 1900);
  EXPECT_EQ(any.bet.potential_payout, 1900);
  // The market's version moved on each change.
  EXPECT_EQ(run_sync(catalog_->find_market(m.id))->version, 3);
}

TEST_P(Sportsbook, ConcurrentBetsDrainOneWalletExactly) {
  const auto u = user("drain@example.ng", 10 * 1000);
  const auto m = market({2000, 2000});
  const auto [accepted, refused] = race_bets(u, m.selections[0].id, "insufficient_funds");
  EXPECT_EQ(accepted, 10);
  EXPECT_EQ(refused, 22);
  EXPECT_EQ(balances(u).balance, 0);
  EXPECT_EQ(balances(u).in_play, 10'000);
  EXPECT_TRUE(verify().empty());
}

// A stake limit under 32 parallel bets: exactly the stakes it fits pass, on both backends (PostgreSQL's row lock
// on the limit orders them; SQLite has one writer).
TEST_P(Sportsbook, ConcurrentBetsPassAStakeLimitExactly) {
  const auto u = user("limited@example.ng", 1'000'000);
  const auto m = market({2000, 2000});
  const std::string id = u;
  run_sync(transaction(*db_, [&id](Tx& tx) -> store::Awaitable<void> {
    co_await store::PlayerLimitRepository::save(
        tx, id, store::StoredLimit{domain::LimitKind::stake, domain::LimitPeriod::day, {.amount = 11'000}});
  }));
  const auto [accepted, refused] = race_bets(u, m.selections[0].id, "limit_exceeded");
  EXPECT_EQ(accepted, 11);
  EXPECT_EQ(refused, 21);
  EXPECT_EQ(balances(u).in_play, 11'000);
  EXPECT_TRUE(verify().empty());
}

// The day's payout cap under 32 parallel bets: exactly the potential payouts it fits pass (the player's row lock
// orders them on PostgreSQL); a lost bet gives its share back, a won one keeps it.
TEST_P(Sportsbook, ConcurrentBetsPassTheDayPayoutCapExactly) {
  bets_ = std::make_unique<Bets>(*db_, BettingLimits{100, 100'000'000, 10'000'000'000, 20, 26'000});
  const auto u = user("capped@example.ng", 1'000'000);
  const auto m = market({2000, 2000});
  const auto [accepted, refused] = race_bets(u, m.selections[0].id, "payout_cap_exceeded");
  EXPECT_EQ(accepted, 13) << "26,000 fits thirteen payouts of 2,000";
  EXPECT_EQ(refused, 19);
  EXPECT_EQ(balances(u).in_play, 13'000);
  const auto other = market({2000, 2000});
  EXPECT_EQ(error_code([&] { place(u, 1000, {{other.selections[0].id, 2000}}, "late"); }), "payout_cap_exceeded");
  settle(m.id, {{m.selections[0].id, "lost"}, {m.selections[1].id, "won"}});
  place(u, 1000, {{other.selections[0].id, 2000}}, "after-losing");
  settle(other.id, {{other.selections[0].id, "won"}, {other.selections[1].id, "lost"}});
  const auto third = market({2000, 2000});
  for (int i = 0; i < 12; ++i) place(u, 1000, {{third.selections[0].id, 2000}}, "won-kept" + std::to_string(i));
  EXPECT_EQ(error_code([&] {
              place(u, 1000, {{third.selections[0].id, 2000}}, "over");
            }),
            "payout_cap_exceeded")
      << "the won bet's 2,000 still counts";
  EXPECT_TRUE(verify().empty());
}

// The hourly figures that limit windows read are kept with every stake and payout (the hour's on the wallet's row,
// past hours in wallet_usage_hours), and `ledger verify` finds a figure that no longer matches the entries.
TEST_P(Sportsbook, WalletUsageHoursFollowStakesAndPayoutsAndVerifyCatchesADrift) {
  const auto u = user("usage@example.ng", 100'000);
  const std::string wallet = store::wallet_account(u);
  const auto m = market({2000, 2000});
  place(u, 3000, {{m.selections[0].id, 2000}}, "u1");
  place(u, 2000, {{m.selections[1].id, 2000}}, "u2");
  settle(m.id, {{m.selections[0].id, "won"}, {m.selections[1].id, "lost"}});
  auto figures = [&] {
    const auto row =
        run_sync(db_->query("SELECT COALESCE(SUM(s), 0), COALESCE(SUM(p), 0), COUNT(*) FROM (SELECT stakes AS s,"
                            " paybacks AS p FROM wallet_usage_hours WHERE user_id = $1 UNION ALL SELECT"
                            " hour_stakes, hour_paybacks FROM ledger_accounts WHERE id = $2) AS f",
                            std::string(u), wallet))
            .one();
    return std::array<std::int64_t, 3>{row.i64(0), row.i64(1), row.i64(2)};
  };
  EXPECT_EQ(figures(), (std::array<std::int64_t, 3>{5000, 6000, 1})) << "this hour's figures are on the wallet row";
  EXPECT_TRUE(verify().empty());

  // An hour passes (the entries and the row's hour moved back one): the next stake saves the old hour's figures.
  run_sync(
      db_->execute("UPDATE ledger_accounts SET usage_hour = usage_hour - 1 WHERE id = $1", {store::Value{wallet}}));
  run_sync(db_->execute("UPDATE ledger_entries SET created_at = created_at - 3600000000 WHERE account_id = $1",
                        {store::Value{wallet}}));
  EXPECT_TRUE(verify().empty());
  const auto next = market({2000, 2000});
  place(u, 1000, {{next.selections[0].id, 2000}}, "u3");
  EXPECT_EQ(figures(), (std::array<std::int64_t, 3>{6000, 6000, 2}));
  const auto saved = run_sync(db_->query("SELECT stakes, paybacks FROM wallet_usage_hours WHERE user_id = $1", u));
  ASSERT_EQ(saved.rows.size(), 1u);
  EXPECT_EQ(saved.one().i64(0), 5000);
  EXPECT_EQ(saved.one().i64(1), 6000);
  EXPECT_TRUE(verify().empty());

  run_sync(db_->execute("UPDATE wallet_usage_hours SET stakes = stakes - 1 WHERE user_id = $1", {store::Value{u}}));
  auto problems = verify();
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_NE(problems[0].find("wallet usage of " + u), std::string::npos) << problems[0];
  run_sync(db_->execute("UPDATE wallet_usage_hours SET stakes = stakes + 1 WHERE user_id = $1", {store::Value{u}}));
  run_sync(db_->execute("UPDATE ledger_accounts SET hour_paybacks = 7 WHERE id = $1", {store::Value{wallet}}));
  problems = verify();
  ASSERT_EQ(problems.size(), 1u) << "the hour on the wallet row is checked too";
}

// The casino's one-statement debit and credit (PostgreSQL; a transaction of post_many on SQLite) keep the hour's
// figures too, and save a past hour's when they find one.
TEST_P(Sportsbook, CasinoCallbacksKeepTheHoursFigures) {
  const auto u = user("casino.usage@example.ng", 100'000);
  const std::string wallet = store::wallet_account(u);
  store::CasinoRepository casino(*db_);
  int tids = 0;
  auto callback = [&](domain::CasinoTxKind kind, domain::Kobo amount) {
    store::CasinoTransaction t;
    t.aggregator = "fundist";
    t.tid = "tid" + std::to_string(++tids);
    t.user_id = u;
    t.kind = kind;
    t.subtype = kind == domain::CasinoTxKind::debit ? "debit" : "credit";
    t.amount = amount;
    t.currency = "NGN";
    t.round_id = "round1";
    t.status = kind == domain::CasinoTxKind::debit ? domain::CasinoTxStatus::debited : domain::CasinoTxStatus::credited;
    const auto posting =
        kind == domain::CasinoTxKind::debit ? domain::CasinoPosting::stake : domain::CasinoPosting::win;
    const auto transfer = store::casino_transfer(posting, t);
    ASSERT_TRUE(run_sync(casino.claim_and_post(t, transfer, wallet)));
  };
  callback(domain::CasinoTxKind::debit, 4000);
  callback(domain::CasinoTxKind::credit, 1500);
  const auto row = [&] {
    return run_sync(db_->query("SELECT hour_stakes, hour_paybacks FROM ledger_accounts WHERE id = $1", wallet)).one();
  };
  EXPECT_EQ(row().i64(0), 4000);
  EXPECT_EQ(row().i64(1), 1500);
  run_sync(
      db_->execute("UPDATE ledger_accounts SET usage_hour = usage_hour - 1 WHERE id = $1", {store::Value{wallet}}));
  run_sync(db_->execute("UPDATE ledger_entries SET created_at = created_at - 3600000000 WHERE account_id = $1",
                        {store::Value{wallet}}));
  callback(domain::CasinoTxKind::debit, 700);
  EXPECT_EQ(row().i64(0), 700);
  EXPECT_EQ(row().i64(1), 0);
  const auto saved = run_sync(db_->query("SELECT stakes, paybacks FROM wallet_usage_hours WHERE user_id = $1", u));
  ASSERT_EQ(saved.rows.size(), 1u);
  EXPECT_EQ(saved.one().i64(0), 4000);
  EXPECT_EQ(saved.one().i64(1), 1500);
  EXPECT_TRUE(verify().empty());
}

// When the suspension returns, every bet that will ever be accepted on the market is already
// committed: placements that share-locked the market first finish before it, later ones see it.
TEST_P(Sportsbook, NoBetIsAcceptedAfterASuspensionCommits) {
  const auto m = market({2000, 2000});
  std::vector<std::string> users;
  for (int t = 0; t < 6; ++t) users.push_back(user("race" + std::to_string(t) + "@example.ng", 1'000'000));
  std::atomic<bool> go{false};
  std::vector<std::future<void>> workers;
  for (int t = 0; t < 6; ++t)
    workers.push_back(std::async(std::launch::async, [&, t] {
      while (!go.load()) std::this_thread::yield();
      for (int i = 0; i < 40; ++i) {
        try {
          place(users[t], 1000, {{m.selections[0].id, 2000}}, "r" + std::to_string(i));
        } catch (const domain::Error& e) {
          EXPECT_EQ(e.code(), "market_suspended");
        }
      }
    }));
  go.store(true);
  std::this_thread::sleep_for(std::chrono::milliseconds(30));
  run_sync(catalog_->update_market(m.id, MarketChange{domain::MarketStatus::suspended, {}}));
  const auto at_suspension = run_sync(db_->query("SELECT COUNT(*) FROM bets")).one().i64(0);
  for (auto& w : workers) w.get();
  const auto in_the_end = run_sync(db_->query("SELECT COUNT(*) FROM bets")).one().i64(0);
  EXPECT_EQ(in_the_end, at_suspension);
  EXPECT_GT(at_suspension, 0) << "the race did not run: no bet before the suspension";
  EXPECT_TRUE(verify().empty());
}

TEST_P(Sportsbook, SettlingSinglesPaysWinnersOnceAndKeepsLosersStakes) {
  const auto winner = user("win@example.ng", 100'000);
  const auto loser = user("lose@example.ng", 100'000);
  const auto m = market({1850, 3333});
  std::vector<std::string> winning;
  for (int i = 0; i < 20; ++i)  // more than one batch
    winning.push_back(place(winner, 333, {{m.selections[1].id, 3333}}, "w" + std::to_string(i)).bet.id);
  for (int i = 0; i < 15; ++i) place(loser, 1000, {{m.selections[0].id, 1850}}, "l" + std::to_string(i));
  settle(m.id, {{m.selections[0].id, "lost"}, {m.selections[1].id, "won"}});
  // floor(333 x 3.333) = 1109 (1109.889)
  EXPECT_EQ(balances(winner).balance, 100'000 - 20 * 333 + 20 * 1109);
  EXPECT_EQ(balances(winner).in_play, 0);
  EXPECT_EQ(balances(loser).balance, 100'000 - 15 * 1000);
  EXPECT_EQ(balances(loser).in_play, 0);
  const auto b = bet(winner, winning[3]);
  EXPECT_EQ(b.status, domain::BetStatus::won);
  EXPECT_EQ(b.payout, 1109);
  EXPECT_EQ(b.legs[0].status, domain::LegResult::won);
  EXPECT_TRUE(b.settled_at.has_value());
  // The same settlement again changes nothing; different results are refused.
  SettleRequest same{false, {{m.selections[0].id, "lost"}, {m.selections[1].id, "won"}}};
  run_sync(settlement_->record_results(m.id, same));
  EXPECT_EQ(run_sync(settlement_->resolve(m.id)).bets_settled, 0);
  EXPECT_EQ(balances(winner).balance, 100'000 - 20 * 333 + 20 * 1109);
  SettleRequest other{false, {{m.selections[0].id, "won"}, {m.selections[1].id, "lost"}}};
  EXPECT_EQ(error_code([&] { run_sync(settlement_->record_results(m.id, other)); }), "already_settled");
  SettleRequest voided{true, {}};
  EXPECT_EQ(error_code([&] { run_sync(settlement_->record_results(m.id, voided)); }), "already_settled");
  EXPECT_EQ(error_code([&] { place(winner, 1000, {{m.selections[0].id, 1850}}, "late"); }), "market_closed");
  EXPECT_TRUE(verify().empty());
}

TEST_P(Sportsbook, SettlementNamesEverySelection) {
  const auto m = market({1850, 2000, 3000});
  SettleRequest partial{false, {{m.selections[0].id, "won"}, {m.selections[1].id, "lost"}}};
  EXPECT_EQ(error_code([&] { run_sync(settlement_->record_results(m.id, partial)); }), "validation_error");
  SettleRequest bad{false, {{m.selections[0].id, "won"}, {m.selections[1].id, "lost"}, {m.selections[2].id, "draw"}}};
  EXPECT_EQ(error_code([&] { run_sync(settlement_->record_results(m.id, bad)); }), "validation_error");
  SettleRequest stranger{
      false,
      {{m.selections[0].id, "won"}, {m.selections[1].id, "lost"}, {m.selections[2].id, "lost"}, {"sel_x", "lost"}}};
  EXPECT_EQ(error_code([&] { run_sync(settlement_->record_results(m.id, stranger)); }), "validation_error");
  EXPECT_EQ(run_sync(catalog_->find_market(m.id))->status, domain::MarketStatus::open) << "nothing changed";
  SettleRequest none{false, {}};
  EXPECT_EQ(error_code([&] { run_sync(settlement_->record_results("mkt_nope", none)); }), "not_found");
}

TEST_P(Sportsbook, AccumulatorsWonLostVoidAndPartlyVoid) {
  const auto u = user("acca@example.ng", 1'000'000);
  const auto a = market({1850, 2000});
  const auto b = market({2100, 1700});
  const auto c = market({3000, 1300});
  const auto won =
      place(u, 1000, {{a.selections[0].id, 1850}, {b.selections[0].id, 2100}, {c.selections[0].id, 3000}}, "won");
  EXPECT_EQ(won.bet.total_odds, "11.655");
  EXPECT_EQ(won.bet.potential_payout, 11'655);
  const auto lost = place(u, 1000, {{a.selections[0].id, 1850}, {b.selections[1].id, 1700}}, "lost");
  const auto partly = place(u, 1000, {{a.selections[0].id, 1850}, {c.selections[0].id, 3000}}, "partly");
  const auto all_void = place(u, 1000, {{c.selections[1].id, 1300}}, "void-single");

  settle(b.id, {{b.selections[0].id, "won"}, {b.selections[1].id, "lost"}});
  EXPECT_EQ(bet(u, lost.bet.id).status, domain::BetStatus::lost) << "lost as soon as one leg loses";
  EXPECT_EQ(bet(u, won.bet.id).status, domain::BetStatus::open);
  settle(c.id, {}, true);  // c void: its single is refunded, accumulator legs become void
  EXPECT_EQ(bet(u, all_void.bet.id).status, domain::BetStatus::void_);
  EXPECT_EQ(bet(u, all_void.bet.id).payout, 1000);
  settle(a.id, {{a.selections[0].id, "won"}, {a.selections[1].id, "lost"}});
  const auto w = bet(u, won.bet.id);
  EXPECT_EQ(w.status, domain::BetStatus::won);
  EXPECT_EQ(w.payout, 3885) << "1000 x 1.85 x 2.10, the void leg counting 1.00";
  EXPECT_EQ(bet(u, partly.bet.id).payout, 1850);
  EXPECT_EQ(bet(u, lost.bet.id).legs[0].status, domain::LegResult::won)
      << "the lost bet's other legs are still resolved";
  EXPECT_EQ(balances(u).in_play, 0);
  EXPECT_EQ(balances(u).balance, 1'000'000 - 4000 + 3885 + 1850 + 1000);
  EXPECT_TRUE(verify().empty());
}

// A crash between batches: the market is settled, some legs are still open. Sending the
// settlement again finishes exactly the rest.
TEST_P(Sportsbook, SettlementResumesAfterAnInterruption) {
  const auto u = user("resume@example.ng", 1'000'000);
  const auto m = market({2000, 2000});
  for (int i = 0; i < 30; ++i) place(u, 1000, {{m.selections[0].id, 2000}}, "b" + std::to_string(i));
  SettleRequest r{false, {{m.selections[0].id, "won"}, {m.selections[1].id, "lost"}}};
  run_sync(settlement_->record_results(m.id, r));
  // What a crash after two batches leaves behind: the market settled, 14 bets paid, 16 legs open.
  EXPECT_EQ(run_sync(settlement_->resolve(m.id, 2)).bets_settled, 14);
  EXPECT_EQ(run_sync(db_->query("SELECT COUNT(*) FROM bet_legs WHERE status = 'open'")).one().i64(0), 16);
  EXPECT_EQ(balances(u).in_play, 16'000);
  // The re-send: the results are already recorded, the rest of the legs are resolved, each bet paid once.
  run_sync(settlement_->record_results(m.id, r));
  EXPECT_EQ(run_sync(settlement_->resolve(m.id)).bets_settled, 16);
  EXPECT_EQ(run_sync(settlement_->resolve(m.id)).bets_settled, 0);
  EXPECT_EQ(balances(u).balance, 1'000'000 - 30'000 + 60'000);
  EXPECT_TRUE(verify().empty());
}

// Recording results puts the market on the pending list; only the settlement that leaves no open
// leg takes it off, so what a crash interrupts is what the resumer finds.
TEST_P(Sportsbook, PendingSettlementsAreWhatIsLeftToFinish) {
  const auto u = user("pending@example.ng", 1'000'000);
  const auto m = market({2000, 2000});
  const auto quiet = market({2000, 2000});  // settled with no bets: off the list at once
  for (int i = 0; i < 20; ++i) place(u, 1000, {{m.selections[0].id, 2000}}, "p" + std::to_string(i));
  EXPECT_TRUE(run_sync(settlement_->pending(std::chrono::microseconds(0))).empty());
  SettleRequest r{false, {{m.selections[0].id, "won"}, {m.selections[1].id, "lost"}}};
  run_sync(settlement_->record_results(m.id, r));
  settle(quiet.id, {{quiet.selections[0].id, "lost"}, {quiet.selections[1].id, "won"}});
  EXPECT_EQ(run_sync(settlement_->pending(std::chrono::microseconds(0))), std::vector<std::string>{m.id});
  // Not yet old enough for a resumer that waits an hour.
  EXPECT_TRUE(run_sync(settlement_->pending(std::chrono::hours(1))).empty());
  // Cut short after one batch: still pending. Recording the same results again adds nothing.
  EXPECT_EQ(run_sync(settlement_->resolve(m.id, 1)).bets_settled, 7);
  run_sync(settlement_->record_results(m.id, r));
  EXPECT_EQ(run_sync(settlement_->pending(std::chrono::microseconds(0))), std::vector<std::string>{m.id});
  // Two resumers at once (two tasks): every bet paid once, the list empty after.
  auto a = std::async(std::launch::async, [&] { return run_sync(settlement_->resolve(m.id)).bets_settled; });
  auto b = std::async(std::launch::async, [&] { return run_sync(settlement_->resolve(m.id)).bets_settled; });
  EXPECT_GE(a.get() + b.get(), 13);
  EXPECT_TRUE(run_sync(settlement_->pending(std::chrono::microseconds(0))).empty());
  EXPECT_EQ(balances(u).balance, 1'000'000 - 20'000 + 40'000);
  EXPECT_EQ(balances(u).in_play, 0);
  EXPECT_TRUE(verify().empty());
}

TEST_P(Sportsbook, AWinThatPaysBackExactlyTheStakeSettles) {
  Bets small(*db_, BettingLimits{1, 100'000'000, 10'000'000'000, 20, 100'000'000'000});
  const auto u = user("evens@example.ng", 1000);
  const auto m = market({1010, 1900});
  BetSlip slip{99, {{m.selections[0].id, 1010}}, domain::OddsChange::none};
  const auto placed = run_sync(small.place(u, slip, "k", "h"));
  EXPECT_EQ(placed.bet.potential_payout, 99);  // floor(99 x 1.01) = floor(99.99)
  settle(m.id, {{m.selections[0].id, "won"}, {m.selections[1].id, "lost"}});
  const auto b = bet(u, placed.bet.id);
  EXPECT_EQ(b.status, domain::BetStatus::won);
  EXPECT_EQ(b.payout, 99);
  EXPECT_EQ(balances(u).balance, 1000);
  EXPECT_TRUE(verify().empty());
}

// Two markets settling at once, with accumulators across both: every bet ends settled.
TEST_P(Sportsbook, ConcurrentSettlementsOfSharedAccumulatorsLeaveNothingOpen) {
  const auto u = user("both@example.ng", 100'000'000);
  const auto a = market({2000, 2000});
  const auto b = market({3000, 1500});
  for (int i = 0; i < 120; ++i)
    place(u, 1000, {{a.selections[i % 2].id, 2000}, {b.selections[i % 2].id, i % 2 ? 1500 : 3000}},
          "acca" + std::to_string(i));
  auto settle_a = std::async(std::launch::async, [&] {
    settle(a.id, {{a.selections[0].id, "won"}, {a.selections[1].id, "lost"}});
  });
  auto settle_b = std::async(std::launch::async, [&] {
    settle(b.id, {{b.selections[0].id, "won"}, {b.selections[1].id, "void"}});
  });
  settle_a.get();
  settle_b.get();
  EXPECT_EQ(run_sync(db_->query("SELECT COUNT(*) FROM bets WHERE status = 'open'")).one().i64(0), 0);
  EXPECT_EQ(run_sync(db_->query("SELECT COUNT(*) FROM bet_legs WHERE status = 'open'")).one().i64(0), 0);
  // Half won both legs (1000 x 2.00 x 3.00), half lost on market a.
  EXPECT_EQ(balances(u).balance, 100'000'000 - 120 * 1000 + 60 * 6000);
  EXPECT_EQ(balances(u).in_play, 0);
  EXPECT_TRUE(verify().empty());
}

TEST_P(Sportsbook, RandomMixedWorkloadKeepsTheLedgerExact) {
  std::mt19937 rng(static_cast<unsigned>(GetParam() == Backend::sqlite ? 7 : 11));
  std::vector<std::string> users;
  for (int i = 0; i < 6; ++i) users.push_back(user("mix" + std::to_string(i) + "@example.ng", 200'000));
  std::vector<Market> markets;
  for (int i = 0; i < 5; ++i) markets.push_back(market({1500 + 100 * static_cast<domain::Odds>(i), 2500, 4000}));
  std::atomic<int> placed{0};
  std::vector<std::future<void>> workers;
  for (int t = 0; t < 6; ++t)
    workers.push_back(std::async(std::launch::async, [&, t] {
      std::mt19937 local(static_cast<unsigned>(t * 31 + 1));
      for (int i = 0; i < 25; ++i) {
        std::vector<std::pair<std::string, domain::Odds>> legs;
        std::vector<int> picks{0, 1, 2, 3, 4};
        std::shuffle(picks.begin(), picks.end(), local);
        const int n = 1 + static_cast<int>(local() % 3);
        for (int k = 0; k < n; ++k) {
          const auto& s = markets[static_cast<std::size_t>(picks[static_cast<std::size_t>(k)])].selections[local() % 3];
          legs.emplace_back(s.id, s.odds);
        }
        try {
          place(users[static_cast<std::size_t>(t)], 100 + static_cast<domain::Kobo>(local() % 20'000), legs,
                "m" + std::to_string(i), domain::OddsChange::any);
          placed.fetch_add(1);
        } catch (const domain::Error& e) {
          EXPECT_TRUE(e.code() == "insufficient_funds" || e.code() == "market_closed") << e.code();
        }
      }
    }));
  // Meanwhile: odds move and markets settle.
  for (std::size_t i = 0; i < markets.size(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    run_sync(catalog_->update_market(markets[i].id, MarketChange{std::nullopt, {{markets[i].selections[1].id, 2600}}}));
    const char* results[] = {"won", "lost", "void"};
    std::map<std::string, std::string> r;
    for (const auto& s : markets[i].selections) r[s.id] = results[rng() % 3];
    settle(markets[i].id, r, i == 2);
  }
  for (auto& w : workers) w.get();
  for (const auto& m : markets) run_sync(settlement_->resolve(m.id));
  EXPECT_GT(placed.load(), 0);
  EXPECT_EQ(run_sync(db_->query("SELECT COUNT(*) FROM bets WHERE status = 'open'")).one().i64(0), 0);
  EXPECT_EQ(run_sync(db_->query("SELECT COALESCE(SUM(balance), 0) FROM ledger_accounts WHERE kind = 'bets_in_play'"))
                .one()
                .i64(0),
            0);
  const auto problems = verify();
  EXPECT_TRUE(problems.empty()) << problems.front();
}

// An administrator's changes through CatalogAdmin: each one invalidates the catalogue cache once, also
// when it fails; cancelling an event voids its open markets and refunds their bets, and sending the
// cancellation again finishes what an interruption left (here: the event cancelled, nothing voided).
TEST_P(Sportsbook, CancellingAnEventVoidsItsMarketsRefundsItsBetsAndPublishesEachChange) {
  kv::MemoryStore kv;
  CatalogCache cache(kv, std::chrono::seconds(60));
  CatalogAdmin admin(*catalog_, *settlement_, cache);
  const auto version = [&] { return run_sync(cache.version()).value(); };
  const auto u = user("cancel@example.ng", 100'000);
  const auto m = market({2000, 2000});
  const auto other =
      run_sync(admin.create_market(m.event_id, NewMarket{"Totals", {{"Over", 1900}, {"Under", 1900}}}, kTrader));
  const auto v0 = version();
  place(u, 10'000, {{m.selections[0].id, 2000}}, "c1");
  place(u, 5'000, {{other.selections[1].id, 1900}}, "c2");
  // Settled before the cancellation: its results stand.
  run_sync(admin.settle_market(
      other.id, SettleRequest{false, {{other.selections[0].id, "won"}, {other.selections[1].id, "lost"}}}, kTrader));
  EXPECT_EQ(version(), v0 + 1);

  // What a crash right after the event's own commit leaves: cancelled, its markets still open.
  run_sync(catalog_->update_event(m.event_id, EventChange{domain::EventStatus::cancelled, std::nullopt}));
  EXPECT_EQ(run_sync(catalog_->find_market(m.id))->status, domain::MarketStatus::open);
  const auto event =
      run_sync(admin.update_event(m.event_id, EventChange{domain::EventStatus::cancelled, std::nullopt}, kTrader));
  EXPECT_EQ(version(), v0 + 2);
  EXPECT_EQ(event.status, domain::EventStatus::cancelled);
  ASSERT_EQ(event.markets.size(), 2u);
  EXPECT_EQ(event.markets[0].status, domain::MarketStatus::void_);
  EXPECT_EQ(event.markets[0].selections[0].result, domain::LegResult::void_);
  EXPECT_EQ(event.markets[1].status, domain::MarketStatus::settled) << "a settled market is not voided";
  EXPECT_EQ(balances(u).balance, 100'000 - 5'000) << "the stake on the voided market is refunded";
  EXPECT_EQ(balances(u).in_play, 0);
  EXPECT_TRUE(run_sync(settlement_->pending(std::chrono::microseconds(0))).empty());

  // Refused changes: nothing changes, the cache is invalidated all the same (harmless).
  EXPECT_EQ(error_code([&] {
              run_sync(admin.update_market(m.id, MarketChange{domain::MarketStatus::open, {}}, kTrader));
            }),
            "market_settled");
  EXPECT_EQ(error_code([&] {
              run_sync(admin.update_event(m.event_id, EventChange{domain::EventStatus::live, std::nullopt}, kTrader));
            }),
            "invalid_transition");
  EXPECT_EQ(error_code([&] {
              run_sync(admin.create_market(m.event_id, NewMarket{"Late", {{"A", 2000}, {"B", 2000}}}, kTrader));
            }),
            "event_closed");
  EXPECT_EQ(version(), v0 + 5);
  EXPECT_TRUE(verify().empty());

  // The trader's changes are in the audit trail, each with what it changed; the refused ones are not.
  store::AuditFilter by_trader;
  by_trader.actor_id = kTrader.id;
  const auto records = run_sync(store::AuditRepository(*db_).page(by_trader));
  std::vector<std::string> actions;
  for (const auto& r : records) actions.push_back(r.action + " " + r.entity_id);
  EXPECT_EQ(actions, (std::vector<std::string>{"market.void " + m.id, "event.update " + m.event_id,
                                               "market.settle " + other.id, "market.create " + other.id}));
  EXPECT_EQ(records.at(0).before, R"({"status":"open"})");
  EXPECT_EQ(records.at(0).request_id, kTrader.request_id);
  EXPECT_NE(records.at(2).after->find(R"("status":"settled")"), std::string::npos) << *records.at(2).after;
  EXPECT_FALSE(run_sync(store::AuditRepository(*db_).verify()).broken);
}

INSTANTIATE_TEST_SUITE_P(Backends, Sportsbook, ::testing::Values(Backend::sqlite, Backend::postgres),
                         [](const auto& info) { return backend_name(info.param); });
