#pragma once
#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "domain/money.hpp"
#include "store/db/database.hpp"
#include "store/ledger.hpp"

// Table wallet_usage_hours (migration 019): each wallet's stakes and paybacks per clock hour, kept in the
// transaction of every posting that moves them, so that limit windows read at most 30 days of rows.
namespace b2w::store {

inline constexpr std::int64_t kMicrosPerHour = 3'600'000'000;
inline std::int64_t usage_hour(std::int64_t epoch_micros) {
  return epoch_micros / kMicrosPerHour;
}

struct UsageDelta {
  domain::Kobo stakes = 0;
  domain::Kobo paybacks = 0;
  bool empty() const { return stakes == 0 && paybacks == 0; }
};

// What the transfers change, per user whose wallet they post to (domain::activity_side says which figure).
std::map<std::string, UsageDelta> usage_deltas(const std::vector<const LedgerTransfer*>& transfers);

// Adds the deltas to the hour's rows. Deferred: it travels with the transaction's next round trip. Each wallet must
// be locked already (a posting to it locks it): a wallet's lock is what orders the writers of its hour.
Awaitable<void> add_usage(Tx& tx, const std::map<std::string, UsageDelta>& deltas, std::int64_t hour);

// The stakes and paybacks of the wallet of $1 in the rolling windows of domain::LimitPeriod day, week, month, each
// counted in whole hours: the current hour and the 24 (day), 168 (week) or 720 (month) before it, so a window holds
// at least its length. Columns: stakes and paybacks per window, day first. `only_if_limited`: empty unless the
// player has a limit row (the money paths of players without limits pay for nothing).
Statement usage_windows(const std::string& user_id, std::int64_t now, bool only_if_limited);
// The windows' figures from usage_windows' row: {stakes, paybacks} per window.
std::array<UsageDelta, 3> usage_windows_from(const Result& rows);

// `ledger verify`'s part: every row against the wallet entries of its hour, and no hour of entries without its row.
Awaitable<void> verify_usage_hours(Database& db, std::vector<std::string>& problems);

}  // namespace b2w::store
