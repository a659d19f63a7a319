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

Error::Error(ErrorKind kind, std::string code, std::string message)
    : std::runtime_error(std::move(message)), kind_(kind), code_(std::move(code)) {}

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

Error Error::not_found(std::string message) {
  return {ErrorKind::not_found, "not_found", std::move(message)};
}

Error Error::validation(std::string message) {
  return {ErrorKind::invalid, "validation_error", std::move(message)};
}

Error Error::malformed(std::string code, std::string message) {
  return {ErrorKind::malformed, std::move(code), std::move(message)};
}

}  // namespace b2w::domain
