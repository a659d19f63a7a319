#include "api/feed.hpp"

#include <boost/json/array.hpp>

#include "http/response.hpp"

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

}  // namespace b2w::api
