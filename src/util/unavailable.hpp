#pragma once
#include <stdexcept>
#include <string>

namespace b2w {

// A dependency (database, cache, payment provider) cannot serve right now.
// Requests that need it fail fast with 503 service_unavailable; the message
// names the dependency, never connection strings or server text.
class ServiceUnavailable : public std::runtime_error {
 public:
  explicit ServiceUnavailable(std::string dependency, const std::string& detail = "")
      : std::runtime_error(dependency + " unavailable" + (detail.empty() ? "" : ": " + detail)),
        dependency_(std::move(dependency)) {}
  const std::string& dependency() const { return dependency_; }

 private:
  std::string dependency_;
};

}  // namespace b2w
