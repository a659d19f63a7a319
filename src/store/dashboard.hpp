#pragma once
#include <cstdint>

#include "domain/money.hpp"
#include "store/db/database.hpp"

// The back office's dashboard reads: a period's bets, settlements and completed payments, and what is open now.
// Read-only; every statement on both backends.
namespace b2w::store {

struct DayFigures {
  // Accepted bets placed in the period (pending in-play bets and rejected ones are not accepted).
  std::int64_t bets = 0;
  domain::Kobo turnover = 0;        // their stakes
  std::int64_t active_players = 0;  // who placed them
  // Bets won or lost in the period (void ones return their stakes and count for nothing).
  std::int64_t settled_bets = 0;
  domain::Kobo settled_stakes = 0;
  domain::Kobo payouts = 0;
  // Payments that completed in the period.
  std::int64_t deposits = 0;
  domain::Kobo deposited = 0;
  std::int64_t withdrawals = 0;
  domain::Kobo withdrawn = 0;
  // Open now.
  std::int64_t open_bets = 0;
  domain::Kobo open_stakes = 0;
  domain::Kobo open_liability = 0;  // what the open bets pay if every one of them wins
};

class DashboardRepository {
 public:
  explicit DashboardRepository(Database& db) : db_(db) {}
  // [from, to) in epoch microseconds. Indexes: bets_created and bets_settled (migration 024),
  // payments_kind_status_updated (021).
  Awaitable<DayFigures> figures(std::int64_t from, std::int64_t to);

 private:
  Database& db_;
};

}  // namespace b2w::store
