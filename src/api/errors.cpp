#include "api/errors.hpp"

#include <string>

namespace b2w::api {
namespace {

http::Status status_of(domain::ErrorKind kind) {
  using domain::ErrorKind;
  using http::Status;
  switch (kind) {
    case ErrorKind::malformed:
      return Status::bad_request;
    case ErrorKind::invalid:
      return Status::unprocessable_entity;
    case ErrorKind::unauthenticated:
      return Status::unauthorized;
    case ErrorKind::forbidden:
      return Status::forbidden;
    case ErrorKind::not_found:
      return Status::not_found;
    case ErrorKind::conflict:
      return Status::conflict;
    case ErrorKind::rate_limited:
      return Status::too_many_requests;
    case ErrorKind::upstream_failed:
      return Status::bad_gateway;
    case ErrorKind::unavailable:
      return Status::service_unavailable;
  }
  return Status::internal_server_error;
}

}  // namespace

http::ApiError to_api_error(const domain::Error& error) {
  http::ApiError api(status_of(error.kind()), error.code(), error.what());
  for (const auto& detail : error.details()) api.detail(detail.as_object());
  if (auto seconds = error.retry_after_seconds()) api.header(http::Field::retry_after, std::to_string(*seconds));
  return api;
}

std::optional<http::ApiError> translate(const std::exception& failure) {
  if (const auto* error = dynamic_cast<const domain::Error*>(&failure)) return to_api_error(*error);
  return std::nullopt;
}

}  // namespace b2w::api
