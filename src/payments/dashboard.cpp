#include "payments/dashboard.hpp"

#include "domain/error.hpp"
#include "store/db/database.hpp"

namespace b2w::payments {

Awaitable<DayReport> Dashboard::day(domain::CalendarDate date) {
  DayReport report;
  report.day = domain::lagos_day(date);
  if (report.day.start > store::now_micros())
    throw domain::Error::validation("That day has not begun in Lagos").detail("date", "is in the future");
  report.figures = co_await figures_.figures(report.day.start, report.day.end);
  co_return report;
}

}  // namespace b2w::payments
