#include "api/events.hpp"

#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>
#include <functional>

#include "api/pagination.hpp"
#include "api/query_params.hpp"
#include "api/sportsbook_json.hpp"
#include "domain/sportsbook.hpp"
#include "http/api_error.hpp"
#include "http/response.hpp"

namespace b2w::api {

using http::ApiError;
using http::Awaitable;
using http::RequestContext;
using http::Response;
using http::Status;

namespace {

Response cached_response(std::string body) {
  auto res = http::raw_json_response(Status::ok, std::move(body));
  // The tasks cache it (and drop it on every admin change); clients and CDNs must ask again.
  res.set(http::Field::cache_control, "no-cache");
  return res;
}

sportsbook::EventFilter event_filter(const RequestContext& ctx) {
  sportsbook::EventFilter f;
  if (auto sport = ctx.query_param("sport")) {
    if (!domain::find_sport(*sport))
      throw ApiError::validation().detail("sport", "is not a sport we offer (see GET /sports)");
    f.sport = *sport;
  }
  if (auto text = ctx.query_param("status")) {
    const auto status = domain::parse_event_status(*text);
    if (!status) throw ApiError::validation().detail("status", "must be scheduled, live, finished or cancelled");
    f.statuses.push_back(*status);
  } else {
    // What can still be bet on or followed.
    f.statuses.assign(domain::kCurrentEventStatuses.begin(), domain::kCurrentEventStatuses.end());
  }
  f.from = time_param(ctx, "from");
  f.to = time_param(ctx, "to");
  const auto page = page_request(ctx);
  f.limit = page.limit;
  f.after = page.after;
  return f;
}

// The cached body for this request's target at the catalogue's current version, or `build`'s.
Awaitable<Response> from_cache(const RequestContext& ctx, sportsbook::CatalogCache& cache,
                               const std::function<Awaitable<std::string>()>& build) {
  const std::string key(ctx.request.target());
  const auto version = co_await cache.version();  // read before the database
  if (version) {
    auto hit = cache.find(key, *version);
    if (hit) co_return cached_response(std::move(*hit));
  }
  auto body = co_await build();
  if (version) cache.store(key, *version, body);
  co_return cached_response(std::move(body));
}

}  // namespace

RouteHandler sports(CatalogRoutes d) {
  return [d](Call call) -> Awaitable<Response> {
    co_return co_await from_cache(call.ctx, d.cache, [&]() -> Awaitable<std::string> {
      const auto counts = co_await d.catalog.sport_counts();
      boost::json::array data;
      for (const auto& sport : domain::sports()) {
        std::int64_t n = 0;
        for (const auto& c : counts)
          if (c.key == sport.key) n = c.events;
        data.push_back(boost::json::object{{"key", sport.key}, {"name", sport.name}, {"event_count", n}});
      }
      co_return boost::json::serialize(boost::json::object{{"data", std::move(data)}});
    });
  };
}

RouteHandler events(CatalogRoutes d) {
  return [d](Call call) -> Awaitable<Response> {
    co_return co_await from_cache(call.ctx, d.cache, [&]() -> Awaitable<std::string> {
      auto filter = event_filter(call.ctx);
      const PageRequest page{filter.limit, filter.after};
      filter.limit = page.limit + 1;  // one more tells whether there is a next page
      auto events = co_await d.catalog.list_events(std::move(filter));
      co_return boost::json::serialize(page_json(
          events, page, [](const sportsbook::Event& e) { return std::pair(e.starts_at, e.id); },
          [](const sportsbook::Event& e) { return event_json(e); }));
    });
  };
}

RouteHandler event(CatalogRoutes d) {
  return [d](Call call) -> Awaitable<Response> {
    co_return co_await from_cache(call.ctx, d.cache, [&]() -> Awaitable<std::string> {
      auto event = co_await d.catalog.find_event(call.param("id"));
      if (!event) throw ApiError::not_found("No event with this id");
      co_return boost::json::serialize(event_json(*event));
    });
  };
}

}  // namespace b2w::api
