#pragma once
#include <atomic>
#include <chrono>
#include <string>

#include "http/router.hpp"

namespace b2w::api {

// What the health-check reports about this process. `draining` turns the
// answer to 503 the moment shutdown starts, so the load balancer stops routing here.
struct HealthState {
  std::string version;
  std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();
  std::atomic<bool> draining{false};
};

void register_health(http::Router& router, const std::string& root_entry, const HealthState& state);

}  // namespace b2w::api
