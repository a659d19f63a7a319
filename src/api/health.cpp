#include "api/health.hpp"

#include "http/response.hpp"
#include "observability/log.hpp"

namespace b2w::api {

void register_health(http::Router& router, const std::string& root_entry, const HealthState& state) {
  // Built by hand rather than through a JSON DOM: this is the hottest route (ALB probes, benchmarks).
  std::string version_json;
  log::append_json_escaped(version_json, state.version);
  router.add(http::Verb::get, root_entry + "/health-check",
             [&state, version_json](http::RequestContext&) -> http::Awaitable<http::Response> {
               const auto uptime =
                   std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - state.started)
                       .count();
               const bool draining = state.draining.load(std::memory_order_relaxed);
               std::string body;
               body.reserve(96 + version_json.size());
               body += draining ? "{\"status\":\"draining\",\"version\":\"" : "{\"status\":\"ok\",\"version\":\"";
               body += version_json;
               body += "\",\"uptime_seconds\":";
               body += std::to_string(uptime);
               body += ",\"checks\":{}}";
               auto res = http::raw_json_response(draining ? http::Status::service_unavailable : http::Status::ok,
                                                  std::move(body));
               res.set(http::Field::cache_control, "no-store");
               co_return res;
             });
}

}  // namespace b2w::api
