#pragma once
#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "domain/money.hpp"
#include "store/db/database.hpp"

// What each wallet staked and got back per clock hour (migration 019), so that limit windows read at most 30 days of
// rows. The current hour's figures ride on the wallet's own ledger_accounts row (usage_hour, hour_stakes,
// hour_paybacks), updated by the same UPDATE that moves its balance: no write of its own on the money paths. When a
// posting finds the row's hour past, it adds the old hour's figures to wallet_usage_hours first (once an hour per
// wallet at most). A window is the rows of its hours plus the wallet row's hour when that is in it.
namespace b2w::store {

struct LedgerTransfer;

inline constexpr std::int64_t kMicrosPerHour = 3'600'000'000;
inline std::int64_t usage_hour(std::int64_t epoch_micros) {
  return epoch_micros / kMicrosPerHour;
}

struct UsageDelta {
  domain::Kobo stakes = 0;
  domain::Kobo paybacks = 0;
  bool empty() const { return stakes == 0 && paybacks == 0; }
};

// A wallet row's figures for the hour it holds (none: it never moved stakes or paybacks).
struct HourTally {
  std::optional<std::int64_t> hour;
  UsageDelta sums;
};
// The columns of ledger_accounts holding a HourTally, in HourTally's order, for SELECTs.
inline constexpr const char* kHourTallyColumns = "usage_hour, hour_stakes, hour_paybacks";

// What the transfers change, per wallet account they post to (domain::activity_side says which figure).
std::map<std::string, UsageDelta> usage_deltas(const std::vector<const LedgerTransfer*>& transfers);
// The user whose wallet account this is.
std::string wallet_owner(const std::string& wallet_account_id);

// The hour rows to add when wallets whose rows held `tallies` (as locked) move in `hour`: their past hours' figures.
struct HourRow {
  std::string user_id;
  std::int64_t hour;
  UsageDelta sums;
};
std::vector<HourRow> hours_passed(const std::map<std::string, HourTally>& tallies,
                                  const std::map<std::string, UsageDelta>& moving, std::int64_t hour);
// Adds the rows to wallet_usage_hours. Deferred (it travels with the transaction's next round trip); the wallets must
// be locked already: a wallet's lock orders the writers of its rows.
Awaitable<void> add_hours(Tx& tx, const std::vector<HourRow>& rows);

// The stakes and paybacks of the wallet of $1 in the rolling windows of domain::LimitPeriod day, week, month, each
// counted in whole hours: the current hour and the 24 (day), 168 (week) or 720 (month) before it, so a window holds
// at least its length. `only_if_limited`: zeros unless the player has a limit row (players without limits pay for
// nothing).
Statement usage_windows(const std::string& user_id, std::int64_t now, bool only_if_limited);
// The windows' figures from usage_windows' row: {stakes, paybacks} per window, day first.
std::array<UsageDelta, 3> usage_windows_from(const Result& rows);

// `ledger verify`'s part: every hour's figures (rows and wallet rows) against the wallet entries of that hour.
Awaitable<void> verify_usage_hours(Database& db, std::vector<std::string>& problems);

}  // namespace b2w::store
