// Every statement the money and listing paths run on PostgreSQL finds its rows through an index on the tables
// that grow without bound. The real binary runs a workload (register, login, deposits through the webhook,
// singles and accumulators, GET /bets and /wallet/transactions first pages and deep cursors, settlement,
// a withdrawal) on a database where auto_explain logs every plan and enable_seqscan is off: the planner then
// takes any usable index, so a sequential scan left in a plan means no index serves that statement. A missing
// index fails here, on an empty database, instead of on a production night with a hundred million rows.
#include <gtest/gtest.h>

#include <boost/json/array.hpp>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

#include "money_server.hpp"
#include "pg_server.hpp"

using namespace b2w::test;
using namespace std::chrono_literals;
using boost::json::array;
using boost::json::object;

namespace {

// Tables that grow with players and play, never pruned to a small size.
const std::set<std::string> kGrowing = {
    "users",           "bets",          "bet_legs",          "ledger_entries",      "ledger_transactions",
    "ledger_accounts", "payments",      "idempotency_keys",  "casino_transactions", "audit_log",
    "mail_outbox",     "email_tokens",  "phone_otps",        "identity_checks",     "google_identities",
    "payout_accounts", "player_limits", "wallet_usage_hours"};

struct SeqScan {
  std::string table;
  std::string query;
};

// auto_explain's text plans in the server log after `offset`: each "Seq Scan on <table>" with its statement.
std::vector<SeqScan> sequential_scans(const std::string& log_file, std::streamoff offset) {
  std::ifstream in(log_file);
  in.seekg(offset);
  std::vector<SeqScan> out;
  std::string line, query;
  while (std::getline(in, line)) {
    if (const auto at = line.find("Query Text: "); at != std::string::npos) query = line.substr(at + 12);
    const auto at = line.find("Seq Scan on ");
    if (at == std::string::npos) continue;
    std::istringstream words(line.substr(at + 12));
    std::string table;
    words >> table;
    if (kGrowing.contains(table)) out.push_back({table, query});
  }
  return out;
}

std::string str(const object& o, const char* key) {
  return std::string(o.at(key).as_string());
}

}  // namespace

TEST(QueryPlans, MoneyAndListingPathsUseAnIndexOnEveryGrowingTable) {
  PgServer pg;
  pg.create_database("plans");
  const Env env{{"DATABASE_URL", pg.url("plans")}, {"DB_POOL_MAX", "8"}};
  {
    Money migrate(env);  // the schema first: its own statements are not the paths under test
    ASSERT_TRUE(migrate.server().started()) << migrate.server().stdout_text();
  }
  ASSERT_EQ(pg.psql("plans",
                    "ALTER DATABASE plans SET session_preload_libraries = 'auto_explain';"
                    "ALTER DATABASE plans SET auto_explain.log_min_duration = 0;"
                    "ALTER DATABASE plans SET auto_explain.log_nested_statements = on;"
                    "ALTER DATABASE plans SET enable_seqscan = off;"),
            0);
  std::streamoff offset = 0;
  {
    std::ifstream log(pg.log_file(), std::ios::ate);
    offset = log.tellg();
  }

  Money m(env);
  ASSERT_TRUE(m.server().started()) << m.server().stdout_text();
  const auto admin = m.admin("plans-desk@bet2wealth.co");
  std::vector<std::string> selections;
  std::vector<std::string> markets;
  for (int e = 0; e < 3; ++e) {
    auto ev = m.post(
        "/api/v1/admin/events",
        {{"sport", "football"}, {"home", "Home " + std::to_string(e)}, {"away", "Away"}, {"starts_at", in_hours(2)}},
        admin, "");
    ASSERT_TRUE(ev && ev->status == 201) << (ev ? ev->body : "");
    auto mk = m.post(
        "/api/v1/admin/events/" + str(json_of(*ev), "id") + "/markets",
        {{"name", "1X2"},
         {"selections", array{object{{"name", "Home"}, {"odds", "2.00"}}, object{{"name", "Away"}, {"odds", "1.80"}}}}},
        admin, "");
    ASSERT_TRUE(mk && mk->status == 201) << (mk ? mk->body : "");
    const auto market = json_of(*mk);
    markets.push_back(str(market, "id"));
    for (const auto& s : market.at("selections").as_array()) selections.push_back(str(s.as_object(), "id"));
  }

  std::vector<std::string> players;
  for (int p = 0; p < 3; ++p) {
    const auto email = "plans-" + std::to_string(p) + "@example.ng";
    players.push_back(m.user(email));
    auto login = m.post("/api/v1/auth/login", {{"email", email}, {"password", "money-pass-1"}}, "", "");
    ASSERT_TRUE(login && login->status == 200);
    m.fund(players.back(), 1'000'000, "plans-fund-" + std::to_string(p));
  }
  for (int i = 0; i < 12; ++i) {
    const auto& token = players[static_cast<std::size_t>(i) % players.size()];
    array legs{
        object{{"selection_id", selections[static_cast<std::size_t>(i) % 2]}, {"odds", i % 2 ? "1.80" : "2.00"}}};
    if (i % 3 == 0)  // an accumulator: a second event's selection
      legs.push_back(
          object{{"selection_id", selections[2 + static_cast<std::size_t>(i) % 2]}, {"odds", i % 2 ? "1.80" : "2.00"}});
    auto bet = m.post("/api/v1/bets", {{"stake", 10'000}, {"legs", legs}}, token, "plans-bet-" + std::to_string(i));
    ASSERT_TRUE(bet && bet->status == 201) << (bet ? bet->body : "");
  }
  for (const auto& token : players) {
    for (const char* path : {"/api/v1/bets?limit=2", "/api/v1/wallet/transactions?limit=2"}) {
      auto first = m.get_auth(path, token);
      ASSERT_TRUE(first && first->status == 200) << path;
      const auto cursor = json_of(*first).at("next_cursor");
      ASSERT_TRUE(cursor.is_string()) << path << ": a second page exists";
      auto deep = m.get_auth(std::string(path) + "&cursor=" + std::string(cursor.as_string()), token);
      ASSERT_TRUE(deep && deep->status == 200) << path;
    }
    ASSERT_EQ(m.get_auth("/api/v1/wallet", token)->status, 200);
    ASSERT_EQ(m.get_auth("/api/v1/users/me", token)->status, 200);
  }
  auto settled = m.post("/api/v1/admin/markets/" + markets[0] + "/settle",
                        {{"results", object{{selections[0], "won"}, {selections[1], "lost"}}}}, admin, "");
  ASSERT_TRUE(settled && settled->status == 200) << (settled ? settled->body : "");
  auto withdrawal = m.post("/api/v1/wallet/withdrawals", m.withdrawal(players[0], 50'000), players[0], "plans-wd");
  ASSERT_TRUE(withdrawal && (withdrawal->status == 201 || withdrawal->status == 202)) << withdrawal->body;
  std::this_thread::sleep_for(500ms);  // the server's log is written by another process
  const auto scans = sequential_scans(pg.log_file(), offset);
  std::ostringstream report;
  for (const auto& s : scans) report << "\n  Seq Scan on " << s.table << ": " << s.query;
  EXPECT_TRUE(scans.empty()) << scans.size() << " statements read a growing table without an index:" << report.str();
  // The check itself works: the log holds plans of the workload (an index scan on bets, at least).
  std::ifstream log(pg.log_file());
  log.seekg(offset);
  const std::string text((std::istreambuf_iterator<char>(log)), std::istreambuf_iterator<char>());
  EXPECT_NE(text.find("Query Text: "), std::string::npos) << "auto_explain logged no plan";
  EXPECT_NE(text.find(" on bets"), std::string::npos);
  // `ledger verify` reads every account and entry on purpose (an audit, not a request path): after the check.
  EXPECT_EQ(m.verify_ledger(), 0);
}
