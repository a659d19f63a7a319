// The money and listing paths cost the same however large the tables grow: with a hundred players' bets and money
// already in the database, one player's placements, listings, history, gate reads and a small market's settlement
// must read only a handful of rows of each table (pg_stat_user_tables: rows read by sequential and index scans;
// sequential scans priced out, as they are with production's row counts).
// A statement that no index serves reads a whole table, and fails here rather than on a production night with ten
// million rows.
#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <thread>

#include "sportsbook/bets.hpp"
#include "sportsbook/catalog.hpp"
#include "sportsbook/settlement.hpp"
#include "store/db/migrations.hpp"
#include "store/ledger.hpp"
#include "store/payment_reports.hpp"
#include "store/payments.hpp"
#include "store/player_limits.hpp"
#include "store/users.hpp"
#include "store_fixture.hpp"

using namespace b2w;
using namespace b2w::test;
using namespace b2w::sportsbook;
using store::Tx;

namespace {

constexpr int kPlayers = 100;
constexpr int kBetsEach = 10;
// Rows one player's workload below may read of any table: its own few rows and index pages' worth, far below the
// table sizes (a thousand bets, legs and ledger transactions; thousands of entries).
constexpr std::int64_t kMostRowsRead = 150;

struct TableReads {
  std::int64_t rows_read = 0;  // by sequential scans and index scans' heap fetches
  std::int64_t live_rows = 0;
};

// Per table so far. Backends report their counts when they end: callers close their pools first.
std::map<std::string, TableReads> table_reads(store::Database& db) {
  std::map<std::string, TableReads> out;
  for (const auto& r : run_sync(db.query("SELECT relname, COALESCE(seq_tup_read, 0) + COALESCE(idx_tup_fetch, 0),"
                                         " n_live_tup FROM pg_stat_user_tables"))
                           .rows)
    out[r.str(0)] = TableReads{r.i64(1), r.i64(2)};
  return out;
}

// Waits until no other session is connected to the database (their statistics are counted by then).
void await_other_sessions_gone(store::Database& db) {
  for (int i = 0; i < 400; ++i) {
    const auto others = run_sync(db.query("SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database()"
                                          " AND pid <> pg_backend_pid()"))
                            .one()
                            .i64(0);
    if (others == 0) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  run_sync(db.query("SELECT pg_stat_clear_snapshot()"));
}

class QueryPlans : public ::testing::Test {
 protected:
  void SetUp() override {
    fresh_ = fresh_database(Backend::postgres, 8);
    run_sync(store::migrate(*fresh_->db));
  }
  void use(store::Database& db) {
    catalog_ = std::make_unique<Catalog>(db);
    bets_ = std::make_unique<Bets>(db, BettingLimits{100, 100'000'000, 10'000'000'000, 20, 100'000'000'000});
  }
  std::string player(store::Database& db, int n) {
    store::UserRepository users(db);
    auto created = run_sync(users.create("plans" + std::to_string(n) + "@example.ng", "x", std::nullopt, std::nullopt,
                                         "user", [](Tx& tx, const store::UserRecord& u) -> store::Awaitable<void> {
                                           co_await store::UserRepository::set_date_of_birth(tx, u.id, "1990-06-15");
                                         }));
    auto id = created.id;
    const auto deposit = store::move_money("dep:" + id, "deposit", "ref-" + id, store::kPaystackClearingAccount,
                                           store::wallet_account(id), 1'000'000);
    run_sync(transaction(db, [&deposit, &id](Tx& tx) -> store::Awaitable<void> {
      co_await store::LedgerRepository::post(tx, deposit);
      const store::StoredLimit stake_day{domain::LimitKind::stake, domain::LimitPeriod::day, {.amount = 900'000}};
      co_await store::PlayerLimitRepository::save(tx, id, stake_day);
    }));
    return id;
  }
  Market market() {
    const auto event =
        run_sync(catalog_->create_event(NewEvent{"football", "A vs B", "A", "B", store::now_micros() + 3'600'000'000}));
    NewMarket m{"1X2", {}};
    m.selections.emplace_back("Home", 2000);
    m.selections.emplace_back("Away", 2000);
    return run_sync(catalog_->create_market(event.id, m));
  }
  void bet(const std::string& player, const Market& m, int i) {
    BetSlip slip{1000, {{m.selections[static_cast<std::size_t>(i % 2)].id, 2000}}, domain::OddsChange::none};
    run_sync(bets_->place(player, slip, "k" + std::to_string(i), "h" + std::to_string(i)));
  }

  std::unique_ptr<FreshDatabase> fresh_;
  std::unique_ptr<Catalog> catalog_;
  std::unique_ptr<Bets> bets_;
};

TEST_F(QueryPlans, OnePlayersMoneyAndListingPathsReadOnlyTheirRows) {
  {
    use(*fresh_->db);
    const auto busy = market();
    for (int p = 0; p < kPlayers; ++p) {
      const auto id = player(*fresh_->db, p);
      for (int i = 0; i < kBetsEach; ++i) bet(id, busy, i);
    }
    run_sync(fresh_->db->execute("ANALYZE", {}));
    // At these sizes a sequential scan is the planner's cheapest read of any table: priced out, any index that
    // serves a statement is taken, and a statement without one still reads the whole table.
    const auto name = run_sync(fresh_->db->query("SELECT current_database()")).one().str(0);
    run_sync(fresh_->db->execute("ALTER DATABASE \"" + name + "\" SET enable_seqscan = off", {}));
  }
  fresh_->db.reset();
  auto probe = open_database(Backend::postgres, *fresh_, 1);
  await_other_sessions_gone(*probe);
  const auto before = table_reads(*probe);

  {
    auto db = open_database(Backend::postgres, *fresh_, 4);
    use(*db);
    const auto small = market();
    const auto id = player(*db, kPlayers);
    for (int i = 0; i < 3; ++i) bet(id, small, i);
    const auto first = run_sync(bets_->list(id, std::nullopt, 2, std::nullopt));
    ASSERT_EQ(first.size(), 2u);
    run_sync(bets_->list(id, std::nullopt, 2, std::make_pair(first.back().created_at, first.back().id)));
    run_sync(bets_->list(id, domain::BetStatus::open, 2, std::nullopt));
    run_sync(bets_->find(id, first.front().id));
    store::LedgerRepository ledger(*db);
    const auto lines = run_sync(ledger.history(store::wallet_account(id), 2, std::nullopt));
    ASSERT_EQ(lines.size(), 2u);
    run_sync(ledger.history(store::wallet_account(id), 2,
                            std::make_pair(lines.back().created_at, lines.back().transaction_id)));
    run_sync(ledger.balances(id));
    store::UserRepository users(*db);
    run_sync(users.find_by_id(id));
    run_sync(users.find_by_email("plans7@example.ng"));
    run_sync(transaction(*db, [&id](Tx& tx) -> store::Awaitable<void> {
      co_await store::PlayerLimitRepository::lock_gate(tx, id, store::now_micros(), store::GateCount::deposits, 0);
      co_await store::PaymentRepository::withdrawals_since(tx, id, 0);
    }));
    Settlement settlement(*db, 50);
    SettleRequest results{false, {{small.selections[0].id, "won"}, {small.selections[1].id, "lost"}}};
    run_sync(settlement.record_results(small.id, results));
    run_sync(settlement.resolve(small.id));
  }  // the pool closes: its sessions report what they read as they end

  await_other_sessions_gone(*probe);
  const auto after = table_reads(*probe);
  for (const char* table : {"users", "bets", "bet_legs", "ledger_entries", "ledger_transactions", "ledger_accounts",
                            "wallet_usage_hours", "player_limits", "payments"}) {
    const auto read = after.at(table).rows_read - before.at(table).rows_read;
    EXPECT_LE(read, kMostRowsRead) << table << " (" << after.at(table).live_rows
                                   << " rows): a statement on it reads the whole table, no index serves it";
  }
  EXPECT_GE(after.at("bets").live_rows, kPlayers * kBetsEach) << "the statistics count the tables' rows";
  EXPECT_GE(after.at("ledger_entries").live_rows, 2 * kPlayers * kBetsEach);
}

// The daily reconciliation (issue 21) reads one day's payments and clearing entries, not the history: with forty
// days of completed deposits and their clearing postings, one day's report reads that day's rows only.
TEST_F(QueryPlans, ADaysReconciliationReadsThatDaysRowsOnly) {
  constexpr int kDays = 40;
  constexpr int kPerDay = 10;
  const auto today = domain::lagos_day(domain::lagos_date(store::now_micros()));
  constexpr std::int64_t kDay = 24LL * 3600 * 1'000'000;
  {
    auto& db = *fresh_->db;
    const auto id = player(db, 0);
    for (int d = 1; d <= kDays; ++d) {
      run_sync(transaction(db, [&](Tx& tx) -> store::Awaitable<void> {
        for (int i = 0; i < kPerDay; ++i) {
          store::Payment p;
          p.id = "pay_" + std::to_string(d) + "_" + std::to_string(i);
          p.user_id = id;
          p.kind = domain::PaymentKind::deposit;
          p.reference = "ref-" + p.id;
          p.amount = 1000;
          p.status = domain::PaymentStatus::completed;
          p.updated_at = today.start - d * kDay + 3'600'000'000LL + i;
          p.created_at = p.updated_at - 60'000'000;
          co_await store::PaymentRepository::insert(tx, p);
          // The credit's clearing entry as it was posted that day (written directly: post() stamps "now").
          const auto txid = "deposit:" + p.id;
          co_await tx.exec("INSERT INTO ledger_transactions (id, kind, reference, created_at) VALUES ($1, $2, $3, $4)",
                           txid, std::string("deposit"), p.reference, p.updated_at);
          co_await tx.exec(
              "INSERT INTO ledger_entries (transaction_id, seq, account_id, amount, balance_after, created_at)"
              " VALUES ($1, 0, $2, $3, 0, $4)",
              txid, store::paystack_clearing_account(p.id), std::int64_t{-1000}, p.updated_at);
        }
      }));
    }
    run_sync(db.execute("ANALYZE", {}));
    const auto name = run_sync(db.query("SELECT current_database()")).one().str(0);
    run_sync(db.execute("ALTER DATABASE \"" + name + "\" SET enable_seqscan = off", {}));
  }
  fresh_->db.reset();
  auto probe = open_database(Backend::postgres, *fresh_, 1);
  await_other_sessions_gone(*probe);
  const auto before = table_reads(*probe);
  {
    auto db = open_database(Backend::postgres, *fresh_, 2);
    store::PaymentReportRepository reports(*db);
    const auto day = domain::lagos_day(domain::lagos_date(today.start - 7 * kDay));
    const auto settled = run_sync(reports.settled_between(
        domain::PaymentKind::deposit, domain::PaymentStatus::completed, day.start, day.end, {}, 100));
    ASSERT_EQ(settled.size(), static_cast<std::size_t>(kPerDay));
    EXPECT_EQ(settled.front().clearing_entries, 1);
    std::size_t entries = 0;
    for (std::size_t shard = 0; shard < store::kPaystackClearingShards; ++shard)
      entries += run_sync(reports.clearing_postings(shard, day.start, day.end)).size();
    EXPECT_EQ(entries, static_cast<std::size_t>(kPerDay));
    run_sync(reports.by_reference(settled.front().reference));
  }
  await_other_sessions_gone(*probe);
  const auto after = table_reads(*probe);
  for (const char* table : {"payments", "ledger_entries"}) {
    const auto read = after.at(table).rows_read - before.at(table).rows_read;
    EXPECT_LE(read, 6 * kPerDay) << table << " (" << after.at(table).live_rows
                                 << " rows): the day's report reads more than the day";
  }
  EXPECT_GE(after.at("payments").live_rows, kDays * kPerDay);
}

// A deep page of a long listing costs what the first page does: the cursor is a range of the listing's index, not a
// filter over every newer row (a player with years of bets pages back through all of them).
TEST_F(QueryPlans, ADeepPageOfBetsOrWalletLinesReadsOnlyItsRows) {
  constexpr int kBets = 400;
  std::string id;
  std::pair<std::int64_t, std::string> deep_bet, deep_line;
  {
    use(*fresh_->db);
    const auto busy = market();
    id = player(*fresh_->db, 0);
    for (int i = 0; i < kBets; ++i) bet(id, busy, i);
    const auto bets = run_sync(bets_->list(id, std::nullopt, kBets, std::nullopt));
    ASSERT_EQ(bets.size(), static_cast<std::size_t>(kBets));
    deep_bet = {bets[kBets - 10].created_at, bets[kBets - 10].id};
    const auto lines = run_sync(store::LedgerRepository(*fresh_->db).history(store::wallet_account(id), kBets, {}));
    ASSERT_EQ(lines.size(), static_cast<std::size_t>(kBets));
    deep_line = {lines[kBets - 10].created_at, lines[kBets - 10].transaction_id};
    run_sync(fresh_->db->execute("ANALYZE", {}));
    const auto name = run_sync(fresh_->db->query("SELECT current_database()")).one().str(0);
    run_sync(fresh_->db->execute("ALTER DATABASE \"" + name + "\" SET enable_seqscan = off", {}));
  }
  fresh_->db.reset();
  auto probe = open_database(Backend::postgres, *fresh_, 1);
  await_other_sessions_gone(*probe);
  const auto before = table_reads(*probe);
  {
    auto db = open_database(Backend::postgres, *fresh_, 2);
    use(*db);
    const auto page = run_sync(bets_->list(id, std::nullopt, 5, deep_bet));
    ASSERT_EQ(page.size(), 5u);
    const auto lines = run_sync(store::LedgerRepository(*db).history(store::wallet_account(id), 5, deep_line));
    ASSERT_EQ(lines.size(), 5u);
  }
  await_other_sessions_gone(*probe);
  const auto after = table_reads(*probe);
  // Five rows a page (and their legs and headers), where the filter form read the ~390 newer rows.
  for (const char* table : {"bets", "ledger_entries"})
    EXPECT_LE(after.at(table).rows_read - before.at(table).rows_read, 20)
        << table << ": the deep page reads every row newer than its cursor";
}

}  // namespace
