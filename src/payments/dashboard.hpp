#pragma once
#include "domain/player_controls.hpp"
#include "domain/reconciliation.hpp"
#include "store/dashboard.hpp"
#include "util/awaitable.hpp"

namespace b2w::payments {

// The back office's figures of one Lagos day: the book's turnover and gross gaming revenue (stakes of the bets
// won or lost that day less their payouts), money in and out, and what is open now.
struct DayReport {
  domain::LagosDay day;
  store::DayFigures figures;
  domain::Kobo ggr() const { return figures.settled_stakes - figures.payouts; }
};

class Dashboard {
 public:
  explicit Dashboard(store::Database& db) : figures_(db) {}
  // Throws domain::Error (validation) for a day that has not begun in Lagos.
  Awaitable<DayReport> day(domain::CalendarDate date);

 private:
  store::DashboardRepository figures_;
};

}  // namespace b2w::payments
