#include "api/dashboard.hpp"

#include <boost/json/object.hpp>
#include <chrono>

#include "domain/money.hpp"
#include "http/api_error.hpp"
#include "http/response.hpp"
#include "util/time.hpp"

namespace b2w::api {

RouteHandler dashboard(payments::Dashboard& dashboard) {
  return [&dashboard](Call call) -> http::Awaitable<http::Response> {
    domain::CalendarDate date;
    if (const auto text = call.ctx.query_param("date")) {
      const auto parsed = domain::parse_date(*text);
      if (!parsed) throw http::ApiError::validation().detail("date", "must be a date as YYYY-MM-DD");
      date = *parsed;
    } else {
      const auto now =
          std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::system_clock::now().time_since_epoch());
      date = domain::lagos_date(now.count());
    }
    const auto report = co_await dashboard.day(date);
    const auto& f = report.figures;
    boost::json::object out{
        {"date", domain::to_string(report.day.date)},
        {"timezone", "Africa/Lagos"},
        {"from", rfc3339(report.day.start)},
        {"to", rfc3339(report.day.end)},
        {"currency", domain::kCurrency},
        {"sportsbook", boost::json::object{{"bets", f.bets},
                                           {"turnover", f.turnover},
                                           {"active_players", f.active_players},
                                           {"settled_bets", f.settled_bets},
                                           {"settled_stakes", f.settled_stakes},
                                           {"payouts", f.payouts},
                                           {"ggr", report.ggr()}}},
        {"payments",
         boost::json::object{{"deposits", boost::json::object{{"count", f.deposits}, {"kobo", f.deposited}}},
                             {"withdrawals", boost::json::object{{"count", f.withdrawals}, {"kobo", f.withdrawn}}}}},
        {"open",
         boost::json::object{{"bets", f.open_bets}, {"stakes", f.open_stakes}, {"liability", f.open_liability}}}};
    co_return http::json_response(http::Status::ok, out);
  };
}

}  // namespace b2w::api
