#include "api/health.hpp"

#include <cstdio>

#include "http/response.hpp"
#include "observability/log.hpp"

namespace b2w::api {

namespace {

std::string_view to_string(HealthState::Status status) {
  switch (status) {
    case HealthState::Status::ok:
      return "ok";
    case HealthState::Status::embedded:
      return "embedded";
    case HealthState::Status::down:
      return "down";
  }
  return "down";
}

}  // namespace

void HealthState::set_check(const std::string& name, Check check) {
  std::lock_guard lock(mu_);
  checks_[name] = std::move(check);
  std::string json = "{";
  for (const auto& [n, c] : checks_) {
    if (json.size() > 1) json += ',';
    char latency[32];
    std::snprintf(latency, sizeof latency, "%.2f", c.latency_ms);
    json += "\"" + n + "\":{\"status\":\"" + std::string(to_string(c.status)) + "\",\"kind\":\"" + c.kind +
            "\",\"latency_ms\":" + latency;
    if (c.schema_version >= 0) json += ",\"schema_version\":" + std::to_string(c.schema_version);
    json += '}';
  }
  json += '}';
  snapshot_.json = std::move(json);
  snapshot_.degraded = false;
  for (const auto& [n, c] : checks_) snapshot_.degraded = snapshot_.degraded || c.status == Status::down;
  snapshot_.version = version_.fetch_add(1, std::memory_order_release) + 1;
}

const HealthState::Snapshot& HealthState::checks() const {
  // One HealthState per process; the per-thread copy is refreshed when the version moves.
  thread_local Snapshot copy;
  thread_local const HealthState* copied_from = nullptr;  // tests run several servers in one process
  thread_local std::uint64_t seen = 0;
  const auto now = version_.load(std::memory_order_acquire);
  if (now != seen || copied_from != this) {
    std::lock_guard lock(mu_);
    copy = snapshot_;
    copied_from = this;
    seen = version_.load(std::memory_order_relaxed);
  }
  return copy;
}

RouteHandler health_check(const HealthState& state) {
  // Built by hand rather than through a JSON DOM: this is the hottest route (ALB probes, benchmarks).
  std::string version_json;
  log::append_json_escaped(version_json, state.version);
  static std::atomic<std::uint64_t> routes_registered{0};
  const std::uint64_t route = ++routes_registered;  // tells apart the routes of servers in one process (tests)
  return [&state, version_json, route](Call) -> http::Awaitable<http::Response> {
    const auto uptime = std::chrono::duration_cast<std::chrono::seconds>(CoarseClock::now() - state.started).count();
    const bool draining = state.draining.load(std::memory_order_relaxed);
    const auto& snapshot = state.checks();
    // The body changes at most once a second: each thread keeps the last one it built.
    struct Built {
      std::uint64_t route = 0;
      std::int64_t uptime = -1;
      std::uint64_t checks_version = 0;
      bool draining = false;
      std::string body;
    };
    thread_local Built built;
    if (built.route != route || built.uptime != uptime || built.checks_version != snapshot.version ||
        built.draining != draining) {
      // A dependency down keeps 200 ("degraded"): requests that need it fail fast with 503,
      // and taking every task out of the load balancer would only turn that into 503s for all.
      std::string body;
      body.reserve(96 + version_json.size() + snapshot.json.size());
      body += draining ? "{\"status\":\"draining\",\"version\":\""
                       : (snapshot.degraded ? "{\"status\":\"degraded\",\"version\":\""
                                            : "{\"status\":\"ok\",\"version\":\"");
      body += version_json;
      body += "\",\"uptime_seconds\":";
      body += std::to_string(uptime);
      body += ",\"checks\":";
      body += snapshot.json;
      body += '}';
      built = Built{route, uptime, snapshot.version, draining, std::move(body)};
    }
    std::string body = built.body;
    co_return http::raw_json_response(draining ? http::Status::service_unavailable : http::Status::ok, std::move(body));
  };
}

}  // namespace b2w::api
