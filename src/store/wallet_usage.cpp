#include "store/wallet_usage.hpp"

#include <algorithm>
#include <string_view>

#include "domain/activity.hpp"
#include "domain/player_limits.hpp"
#include "store/ledger.hpp"

namespace b2w::store {
namespace {

constexpr std::string_view kWalletPrefix = "wallet:";  // wallet_account(user_id)
constexpr std::size_t kRowsPerStatement = 1000;

}  // namespace

std::map<std::string, UsageDelta> usage_deltas(const std::vector<const LedgerTransfer*>& transfers) {
  std::map<std::string, UsageDelta> out;
  for (const auto* t : transfers) {
    const auto side = domain::activity_side(t->kind);
    if (side != domain::ActivitySide::stake && side != domain::ActivitySide::payback) continue;
    for (const auto& p : t->postings) {
      if (std::string_view(p.account_id).substr(0, kWalletPrefix.size()) != kWalletPrefix) continue;
      auto& d = out[p.account_id];
      // As posted on the wallet: a stake is money out (negative), a payback money in.
      if (side == domain::ActivitySide::stake)
        d.stakes -= p.amount;
      else
        d.paybacks += p.amount;
    }
  }
  return out;
}

std::string wallet_owner(const std::string& wallet_account_id) {
  return wallet_account_id.substr(kWalletPrefix.size());
}

std::vector<HourRow> hours_passed(const std::map<std::string, HourTally>& tallies,
                                  const std::map<std::string, UsageDelta>& moving, std::int64_t hour) {
  std::vector<HourRow> out;
  for (const auto& [account, delta] : moving) {
    const auto it = tallies.find(account);
    if (delta.empty() || it == tallies.end() || !it->second.hour || *it->second.hour == hour || it->second.sums.empty())
      continue;
    out.push_back(HourRow{wallet_owner(account), *it->second.hour, it->second.sums});
  }
  return out;
}

Awaitable<void> add_hours(Tx& tx, const std::vector<HourRow>& rows) {
  for (std::size_t from = 0; from < rows.size(); from += kRowsPerStatement) {
    const auto n = std::min(kRowsPerStatement, rows.size() - from);
    std::vector<Value> params;
    for (std::size_t i = from; i < from + n; ++i) {
      params.emplace_back(rows[i].user_id);
      params.emplace_back(rows[i].hour);
      params.emplace_back(rows[i].sums.stakes);
      params.emplace_back(rows[i].sums.paybacks);
    }
    // A row may exist already: a task whose clock runs behind wrote an hour that has passed for another.
    co_await tx.defer("INSERT INTO wallet_usage_hours (user_id, hour, stakes, paybacks) VALUES " + value_rows(n, 4) +
                          " ON CONFLICT (user_id, hour) DO UPDATE SET stakes = wallet_usage_hours.stakes +"
                          " excluded.stakes, paybacks = wallet_usage_hours.paybacks + excluded.paybacks",
                      std::move(params));
  }
}

Statement usage_windows(const std::string& user_id, std::int64_t now, bool only_if_limited) {
  const auto hour = usage_hour(now);
  const auto since = [hour](domain::LimitPeriod p) { return hour - domain::window_micros(p) / kMicrosPerHour; };
  std::string sql =
      "SELECT COALESCE(SUM(CASE WHEN hour >= CAST($2 AS BIGINT) THEN stakes ELSE 0 END), 0),"
      " COALESCE(SUM(CASE WHEN hour >= CAST($2 AS BIGINT) THEN paybacks ELSE 0 END), 0),"
      " COALESCE(SUM(CASE WHEN hour >= CAST($3 AS BIGINT) THEN stakes ELSE 0 END), 0),"
      " COALESCE(SUM(CASE WHEN hour >= CAST($3 AS BIGINT) THEN paybacks ELSE 0 END), 0),"
      " COALESCE(SUM(stakes), 0), COALESCE(SUM(paybacks), 0)"
      " FROM (SELECT hour, stakes, paybacks FROM wallet_usage_hours WHERE user_id = $1 AND hour >= CAST($4 AS BIGINT)"
      " UNION ALL SELECT usage_hour, hour_stakes, hour_paybacks FROM ledger_accounts WHERE id = $5"
      " AND usage_hour >= CAST($4 AS BIGINT)) AS u";
  if (only_if_limited) sql += " WHERE EXISTS (SELECT 1 FROM player_limits WHERE user_id = $1)";
  return Statement{std::move(sql), values_of(user_id, since(domain::LimitPeriod::day), since(domain::LimitPeriod::week),
                                             since(domain::LimitPeriod::month), wallet_account(user_id))};
}

std::array<UsageDelta, 3> usage_windows_from(const Result& rows) {
  std::array<UsageDelta, 3> out{};
  if (rows.empty()) return out;
  const auto& r = rows.one();
  for (std::size_t w = 0; w < 3; ++w) out[w] = UsageDelta{.stakes = r.i64(2 * w), .paybacks = r.i64(2 * w + 1)};
  return out;
}

namespace {

std::string sql_list(domain::ActivitySide side) {
  std::string out;
  for (const auto kind : domain::kinds_of(side)) out += (out.empty() ? "'" : ", '") + std::string(kind) + "'";
  return out;
}

}  // namespace

Awaitable<void> verify_usage_hours(Database& db, std::vector<std::string>& problems) {
  const auto stakes = sql_list(domain::ActivitySide::stake), paybacks = sql_list(domain::ActivitySide::payback);
  const auto hour = std::to_string(kMicrosPerHour);
  // The rows and the wallet rows' hours less what the entries say: any hour left with a difference is wrong.
  const auto rows = co_await db.query(
      "SELECT user_id, hour, SUM(s), SUM(p) FROM (SELECT user_id, hour, stakes AS s, paybacks AS p"
      " FROM wallet_usage_hours UNION ALL SELECT user_id, usage_hour, hour_stakes, hour_paybacks FROM ledger_accounts"
      " WHERE kind = 'wallet' AND usage_hour IS NOT NULL UNION ALL SELECT a.user_id, e.created_at / " +
      hour + ", CASE WHEN t.kind IN (" + stakes + ") THEN e.amount ELSE 0 END, CASE WHEN t.kind IN (" + paybacks +
      ") THEN -e.amount ELSE 0 END FROM ledger_entries e JOIN ledger_accounts a ON a.id = e.account_id"
      " JOIN ledger_transactions t ON t.id = e.transaction_id WHERE a.kind = 'wallet' AND t.kind IN (" +
      stakes + ", " + paybacks + ")) AS d GROUP BY user_id, hour HAVING SUM(s) <> 0 OR SUM(p) <> 0");
  for (const auto& r : rows.rows)
    problems.push_back("wallet usage of " + r.str(0) + " in hour " + r.str(1) + ": stakes off by " + r.str(2) +
                       ", paybacks off by " + r.str(3) + " against its entries");
}

}  // namespace b2w::store
