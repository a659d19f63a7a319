#include "api/feed.hpp"

#include <boost/json/array.hpp>

#include "api/pagination.hpp"
#include "http/response.hpp"
#include "util/time.hpp"

namespace b2w::api {

using http::Awaitable;
using http::Response;
using http::Status;

RouteHandler feed_messages(sportsbook::Feed& feed) {
  return [&feed](Call call) -> Awaitable<Response> {
    const auto header = call.ctx.request["x-feed-signature"];
    std::string signature(header.data(), header.size());
    std::string body = call.ctx.request.body();
    const auto report = co_await feed.receive(std::move(body), std::move(signature));
    boost::json::array rejections;
    for (const auto& r : report.rejected)
      rejections.push_back(boost::json::object{{"index", r.index}, {"reason", r.reason}});
    co_return http::json_response(Status::ok, boost::json::object{{"applied", report.applied},
                                                                  {"duplicates", report.duplicates},
                                                                  {"gaps", report.gaps},
                                                                  {"rejected", report.rejected.size()},
                                                                  {"needs_operator", report.needs_operator},
                                                                  {"rejections", std::move(rejections)}});
  };
}

RouteHandler feed_rollbacks(sportsbook::Feed& feed) {
  return [&feed](Call call) -> Awaitable<Response> {
    const auto page = page_request(call.ctx);
    auto rows = co_await feed.rollbacks(page.limit + 1, page.after);
    auto body = page_json(
        rows, page,
        [](const store::FeedRollbackRow& r) {
          return std::pair{r.received_at, r.id};
        },
        [](const store::FeedRollbackRow& r) {
          boost::json::value market = nullptr;
          if (r.rollback.market_id) market = *r.rollback.market_id;
          return boost::json::object{{"id", r.id},
                                     {"provider", r.rollback.provider},
                                     {"provider_event_id", r.rollback.provider_event_id},
                                     {"provider_market_id", r.rollback.provider_market_id},
                                     {"market_id", std::move(market)},
                                     {"sequence", r.rollback.sequence},
                                     {"received_at", rfc3339(r.received_at)}};
        });
    co_return http::json_response(Status::ok, std::move(body));
  };
}

}  // namespace b2w::api
