#pragma once
#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>

#include "api/route_table.hpp"
#include "util/coarse_clock.hpp"

namespace b2w::api {

// What the health-check reports about this process. `draining` turns the
// answer to 503 the moment shutdown starts, so the load balancer stops routing here.
struct HealthState {
  std::string version;
  CoarseClock::time_point started = CoarseClock::now();  // uptime is reported in whole seconds
  std::atomic<bool> draining{false};

  // A dependency's last background probe. Embedded: in this process (SQLite, the memory store), so up.
  enum class Status { ok, embedded, down };
  struct Check {
    Status status = Status::down;
    std::string kind;  // "postgres", "sqlite", "redis", "memory"
    double latency_ms = 0;
    int schema_version = -1;  // databases only
  };
  void set_check(const std::string& name, Check check);
  // {"database":{...},"cache":{...}} and whether any dependency is down. The health-check
  // runs for every ALB probe: readers keep a per-thread copy and take the lock only after a change.
  struct Snapshot {
    std::string json = "{}";
    bool degraded = false;
    std::uint64_t version = 0;  // moves with every change
  };
  const Snapshot& checks() const;

 private:
  mutable std::mutex mu_;
  Snapshot snapshot_;
  std::atomic<std::uint64_t> version_{0};
  std::map<std::string, Check> checks_;
};

// GET /health-check: what the load balancer probes.
RouteHandler health_check(const HealthState& state);

}  // namespace b2w::api
