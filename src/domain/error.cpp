#include "domain/error.hpp"

#include <utility>

namespace b2w::domain {

std::string_view to_string(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::malformed:
      return "malformed";
    case ErrorKind::invalid:
      return "invalid";
    case ErrorKind::unauthenticated:
      return "unauthenticated";
    case ErrorKind::forbidden:
      return "forbidden";
    case ErrorKind::not_found:
      return "not_found";
    case ErrorKind::conflict:
      return "conflict";
    case ErrorKind::rate_limited:
      return "rate_limited";
    case ErrorKind::upstream_failed:
      return "upstream_failed";
    case ErrorKind::unavailable:
      return "unavailable";
  }
  return "unknown";
}

Error::Error(ErrorKind kind, std::string code, const std::string& message)
    : std::runtime_error(message), kind_(kind), code_(std::move(code)) {}

Error& Error::detail(std::string field, std::string problem) {
  details_.push_back(boost::json::object{{"field", std::move(field)}, {"problem", std::move(problem)}});
  return *this;
}

Error& Error::detail(boost::json::object detail) {
  details_.push_back(std::move(detail));
  return *this;
}

Error& Error::retry_after(std::int64_t seconds) {
  retry_after_ = seconds;
  return *this;
}

Error Error::not_found(const std::string& message) {
  return {ErrorKind::not_found, "not_found", message};
}

Error Error::validation(const std::string& message) {
  return {ErrorKind::invalid, "validation_error", message};
}

Error Error::malformed(std::string code, const std::string& message) {
  return {ErrorKind::malformed, std::move(code), message};
}

}  // namespace b2w::domain
